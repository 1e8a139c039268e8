import { describe, expect, it } from 'vitest'
import { licenceIsMissing } from './clientConfig'
import { parseApiError, parseBoardMeta, parseClientConfig, parseTemplateSummary } from './http'

describe('API response parsing', () => {
  it('reads the error vocabulary by code and field, never trusting unknown codes', () => {
    expect(parseApiError(400, { error: { code: 'invalid-field', message: 'x', field: 'title' } })).toEqual({ code: 'invalid-field', field: 'title' })
    expect(parseApiError(500, { error: { code: 'kaboom', message: 'x' } })).toEqual({ code: 'unknown' })
    expect(parseApiError(404, 'not json')).toEqual({ code: 'not-found' })
    expect(parseApiError(503, null)).toEqual({ code: 'storage-unavailable' })
  })

  it('tells the organiser-code answers apart', () => {
    expect(parseApiError(401, { error: { code: 'creation-code-required', message: 'x' } })).toEqual({ code: 'creation-code-required' })
    expect(parseApiError(403, { error: { code: 'creation-code-wrong', message: 'x' } })).toEqual({ code: 'creation-code-wrong' })
    expect(parseApiError(429, { error: { code: 'too-many-attempts', message: 'x' } })).toEqual({ code: 'too-many-attempts' })
    // A proxy's own 429 page still reads as "too many".
    expect(parseApiError(429, '<html>')).toEqual({ code: 'too-many-attempts' })
  })

  it('accepts only well-formed boards', () => {
    const board = { id: 'q3Zb1v0mS9uJx2cF4yTt8A', title: 'Retro', language: 'nl', createdAt: 1, updatedAt: 2 }
    expect(parseBoardMeta(board)).toEqual(board)
    expect(parseBoardMeta({ ...board, language: 'fr' })).toBeUndefined()
    expect(parseBoardMeta({ ...board, id: '../etc' })).toBeUndefined()
    expect(parseBoardMeta({ ...board, updatedAt: '2' })).toBeUndefined()
  })

  it('accepts only template entries with texts in every language', () => {
    const texts = { name: 'N', purpose: 'P', timeNeeded: '1 h', groupSize: '3–5' }
    const preview = { w: 100, h: 50, boxes: [{ kind: 'frame', x: 0, y: 0, w: 100, h: 50, color: 'light-blue' }] }
    const entry = { id: 'focus-sharpener', texts: { en: texts, nl: texts, es: texts }, preview }
    expect(parseTemplateSummary(entry)).toEqual(entry)
    // A malformed preview costs the picture, not the template.
    const odd = { ...preview, boxes: [{ ...preview.boxes[0], color: 'chartreuse' }] }
    expect(parseTemplateSummary({ ...entry, preview: odd })).toEqual({ ...entry, preview: undefined })
    expect(parseTemplateSummary({ ...entry, preview: { ...preview, w: Infinity } })?.preview).toBeUndefined()
    expect(parseTemplateSummary({ ...entry, texts: { en: texts, nl: texts } })).toBeUndefined()
    expect(parseTemplateSummary({ ...entry, texts: { en: texts, nl: texts, es: { ...texts, name: 3 } } })).toBeUndefined()
    expect(parseTemplateSummary({ texts: entry.texts })).toBeUndefined()
  })

  it('fills safe defaults for a missing or odd config', () => {
    const config = parseClientConfig({ tldrawLicenseKey: '', maxAssetBytes: -1 })
    expect(config.tldrawLicenseKey).toBeNull()
    expect(config.maxAssetBytes).toBeGreaterThan(0)
    expect(config.assetMimeTypes).toContain('image/png')
    // A server from before organiser codes, or an odd answer: open, as it was.
    expect(config.boardCreation).toBe('open')
    expect(parseClientConfig({ boardCreation: 'secret' }).boardCreation).toBe('open')
    expect(parseClientConfig({ boardCreation: 'code' }).boardCreation).toBe('code')
  })
})

describe('licenceIsMissing', () => {
  const none = parseClientConfig({})
  const keyed = parseClientConfig({ tldrawLicenseKey: 'tldraw-abc' })
  const https = { protocol: 'https:', hostname: 'board.example.org' }
  it('is only true for a production build over https on a real host without a key', () => {
    expect(licenceIsMissing(none, true, https)).toBe(true)
    expect(licenceIsMissing(keyed, true, https)).toBe(false)
    expect(licenceIsMissing(none, false, https)).toBe(false)
    expect(licenceIsMissing(none, true, { protocol: 'http:', hostname: 'board.example.org' })).toBe(false)
    expect(licenceIsMissing(none, true, { protocol: 'https:', hostname: 'localhost' })).toBe(false)
    expect(licenceIsMissing(none, true, { protocol: 'https:', hostname: '127.0.0.1' })).toBe(false)
  })
})

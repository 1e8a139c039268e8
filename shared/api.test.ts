import { describe, expect, it } from 'vitest'
import { MAX_TITLE_LENGTH, parseCreateBoard, parseRenameBoard, titleProblem } from './api'

describe('HTTP body validators', () => {
  it('accepts a valid board and trims its title', () => {
    expect(parseCreateBoard({ title: '  Diálogo 1 ', language: 'es' })).toEqual({
      ok: true,
      value: { title: 'Diálogo 1', language: 'es' },
    })
    expect(parseRenameBoard({ title: 'Sessie 2' })).toEqual({ ok: true, value: { title: 'Sessie 2' } })
  })

  it.each([
    [null, 'invalid-json', undefined],
    [[], 'invalid-json', undefined],
    ['text', 'invalid-json', undefined],
    [{ language: 'en' }, 'invalid-field', 'title'],
    [{ title: 42, language: 'en' }, 'invalid-field', 'title'],
    [{ title: '   ', language: 'en' }, 'invalid-field', 'title'],
    [{ title: 'x'.repeat(MAX_TITLE_LENGTH + 1), language: 'en' }, 'invalid-field', 'title'],
    [{ title: 'ok' }, 'invalid-field', 'language'],
    [{ title: 'ok', language: 'fr' }, 'invalid-field', 'language'],
    [{ title: 'ok', language: 'en', owner: 'me' }, 'invalid-field', 'owner'],
  ])('refuses %j with %s naming %s', (body, code, field) => {
    const result = parseCreateBoard(body)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.error.code).toBe(code)
    expect(result.error.error.field).toBe(field)
    expect(result.error.error.message.length).toBeGreaterThan(0)
  })

  it('accepts a known template and refuses an unknown one, naming the field', () => {
    const ids = ['focus-sharpener', 'stakeholder-analysis']
    expect(parseCreateBoard({ title: 'Actores', language: 'es', template: 'stakeholder-analysis' }, ids)).toEqual({
      ok: true,
      value: { title: 'Actores', language: 'es', template: 'stakeholder-analysis' },
    })
    for (const template of ['swot', 42, null, '']) {
      const result = parseCreateBoard({ title: 'x', language: 'en', template }, ids)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.error).toMatchObject({ code: 'invalid-field', field: 'template' })
    }
  })

  it('refuses a rename without a usable title, naming the field', () => {
    const result = parseRenameBoard({ title: '' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.error.field).toBe('title')
  })
})

describe('board titles', () => {
  it.each([
    ['a right-to-left override', 'invoice\u202Egpj.exe'],
    ['a bell', 'ring\u0007'],
    ['a newline', 'two\nlines'],
    ['a tab', 'tab\tbed'],
    ['a C1 control', 'next\u0085line'],
    ['a left-to-right embedding', '\u202Aboard'],
    ['a first-strong isolate', 'a\u2068b\u2069'],
    ['a zero-width space', 'look\u200Balike'],
    ['a byte order mark', 'my\uFEFFboard'],
    ['a word joiner', 'word\u2060joiner'],
    ['a line separator', 'one\u2028two'],
    ['a Hangul filler', 'blank\u3164'],
    ['a lone surrogate', 'half\uD83D'],
    ['a language tag', 'tag\u{E0001}\u{E0065}'],
  ])('refuses %s, naming the field', (_what, title) => {
    for (const parsed of [parseCreateBoard({ title, language: 'en' }), parseRenameBoard({ title })]) {
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.error.error).toMatchObject({ code: 'invalid-field', field: 'title', message: expect.stringMatching(/control characters/) })
    }
    expect(titleProblem(title)).toBe('characters')
  })

  it.each([
    ['accents and other scripts', 'Diálogo — Ελληνικά, 日本語, العربية'],
    ['emoji with joiners and variation selectors', 'Team 👩‍👩‍👧 ❤️ 👍🏽'],
    ['a flag made of tag characters', 'Wales \u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}'],
    ['Persian with a zero-width non-joiner', 'می\u200Cخواهم'],
    ['a right-to-left mark', 'שלום\u200F 2026'],
  ])('accepts %s', (_what, title) => {
    expect(titleProblem(title)).toBeUndefined()
    expect(parseRenameBoard({ title })).toEqual({ ok: true, value: { title } })
  })
})

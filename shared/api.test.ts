import { describe, expect, it } from 'vitest'
import { MAX_TITLE_LENGTH, parseCreateBoard, parseRenameBoard } from './api'

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

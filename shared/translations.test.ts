import { describe, expect, it } from 'vitest'
import { noteDisplay, parseGlossaryEntry, translations } from './translations'

describe('bilingual notes', () => {
  const meta = { lang: 'nl', tr_es: 'Más árboles en la plaza', tr_en: '' }
  it("shows a reader the translation into their language, the original otherwise", () => {
    expect(noteDisplay(meta, 'es')).toEqual({ kind: 'translation', text: 'Más árboles en la plaza', from: 'nl' })
    expect(noteDisplay(meta, 'nl')).toEqual({ kind: 'original' }) // the author's language
    expect(noteDisplay(meta, 'en')).toEqual({ kind: 'original' }) // an empty translation is none
    expect(noteDisplay({}, 'es')).toEqual({ kind: 'original' }) // language unknown
    expect(noteDisplay({ lang: 'xx', tr_es: 'hola' }, 'es')).toEqual({ kind: 'original' })
  })
  it('lists the translations a note carries', () => {
    expect(translations(meta)).toEqual({ es: 'Más árboles en la plaza' })
  })
  it('reads glossary entries defensively', () => {
    expect(parseGlossaryEntry({ en: 'participation', nl: 'participatie', es: 'participación', fr: 'x' })).toEqual({ en: 'participation', nl: 'participatie', es: 'participación' })
    expect(parseGlossaryEntry('participation')).toBeUndefined()
    expect(parseGlossaryEntry({})).toBeUndefined()
  })
})

/**
 * Bilingual notes (issue 6). A note keeps its original text and the language
 * it was written in (`meta.lang`), and may carry translations, one `meta` key
 * per language (`meta.tr_es`, ...) so two interpreters translating into two
 * languages at once never overwrite each other. Translations are made by
 * people (interpreters) on this server: no text is sent anywhere else.
 */
import { isLanguage, LANGUAGES, type Language } from './languages'

/** `meta` key: the language a note was written in. */
export const NOTE_LANGUAGE_META = 'lang'

/** `meta` key of a note's translation into `language`. */
export function translationKey(language: Language): string {
  return `tr_${language}`
}

type Meta = Record<string, unknown> | undefined

export function noteLanguage(meta: Meta): Language | undefined {
  const value = meta?.[NOTE_LANGUAGE_META]
  return isLanguage(value) ? value : undefined
}

export function translationOf(meta: Meta, language: Language): string | undefined {
  const value = meta?.[translationKey(language)]
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** Every translation a note carries. */
export function translations(meta: Meta): Partial<Record<Language, string>> {
  const out: Partial<Record<Language, string>> = {}
  for (const language of LANGUAGES) {
    const text = translationOf(meta, language)
    if (text) out[language] = text
  }
  return out
}

/**
 * What a reader of `language` sees: the translation into their language when
 * the note was written in another one and a translation exists, else the original.
 */
export function noteDisplay(meta: Meta, language: Language): { kind: 'original' } | { kind: 'translation'; text: string; from: Language } {
  const original = noteLanguage(meta)
  if (!original || original === language) return { kind: 'original' }
  const text = translationOf(meta, language)
  return text ? { kind: 'translation', text, from: original } : { kind: 'original' }
}

// ---------------------------------------------------------------------------
// The glossary: terms the interpreters keep (participation, co-production, SDG names ...).

/** Root map of the board document holding the glossary: entry id → GlossaryEntry. Interpreters and facilitators write it. */
export const GLOSSARY_KEY = 'glossary'

export type GlossaryEntry = Partial<Record<Language, string>> & { note?: string }

export function parseGlossaryEntry(value: unknown): GlossaryEntry | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const raw = value as Record<string, unknown>
  const entry: GlossaryEntry = {}
  for (const language of LANGUAGES) if (typeof raw[language] === 'string') entry[language] = (raw[language] as string).slice(0, 200)
  if (typeof raw.note === 'string') entry.note = raw.note.slice(0, 1000)
  return Object.keys(entry).length > 0 ? entry : undefined
}

/** The languages the product speaks: UI, templates and board content. */
export const LANGUAGES = ['en', 'nl', 'es'] as const
export type Language = (typeof LANGUAGES)[number]

/** Each language's name in that language, for pickers. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  nl: 'Nederlands',
  es: 'Español',
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

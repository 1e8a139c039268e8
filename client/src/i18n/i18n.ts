/**
 * i18next set-up: English is the source of truth (its JSON types the keys),
 * Dutch and Spanish fall back to English for anything missing.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { isLanguage, type Language } from '../../../shared/languages'
import en from './locales/en.json'
import es from './locales/es.json'
import nl from './locales/nl.json'

export const resources = {
  en: { translation: en },
  nl: { translation: nl },
  es: { translation: es },
} as const

/** localStorage key remembering the UI language chosen in the picker. */
export const LANGUAGE_STORAGE_KEY = 'ww.language'

function readStoredLanguage(): Language | undefined {
  try {
    const stored = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY)
    return isLanguage(stored) ? stored : undefined
  } catch {
    return undefined
  }
}

/** The first of the browser's preferred languages we speak, else English. */
export function languageFromNavigator(preferred: readonly string[] | undefined): Language {
  for (const tag of preferred ?? []) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLanguage(base)) return base
  }
  return 'en'
}

/** The language to start in: the remembered choice, else the browser's. */
export function initialLanguage(): Language {
  const nav = globalThis.navigator
  return readStoredLanguage() ?? languageFromNavigator(nav ? (nav.languages?.length ? nav.languages : [nav.language]) : undefined)
}

/** Initialises i18next once; safe to import from anywhere. */
export function setupI18n(): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources,
      lng: initialLanguage(),
      fallbackLng: 'en',
      supportedLngs: ['en', 'nl', 'es'],
      interpolation: { escapeValue: false }, // React escapes already
      returnNull: false,
      initAsync: false,
    })
  }
  return i18next
}

/** Switches the UI language and remembers it for next time. */
export function changeLanguage(language: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language)
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  void i18next.changeLanguage(language)
}

/** The current UI language, narrowed to the ones we speak. */
export function currentLanguage(): Language {
  const lng = i18next.resolvedLanguage ?? i18next.language
  return isLanguage(lng) ? lng : 'en'
}

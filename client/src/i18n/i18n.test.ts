import { describe, expect, it } from 'vitest'
import { languageFromNavigator } from './i18n'

describe('languageFromNavigator', () => {
  it('picks the first preferred language we speak, else English', () => {
    expect(languageFromNavigator(['nl-BE', 'en'])).toBe('nl')
    expect(languageFromNavigator(['es-BO'])).toBe('es')
    expect(languageFromNavigator(['qu', 'es-PE'])).toBe('es')
    expect(languageFromNavigator(['fr-FR'])).toBe('en')
    expect(languageFromNavigator(undefined)).toBe('en')
  })
})

import type { TFunction } from 'i18next'
import { MAX_TITLE_LENGTH } from '../../../shared/api'
import type { CallError } from './http'

/** A translated sentence for a failed API call (by code and field, never the server's text). */
export function errorMessage(t: TFunction, error: CallError): string {
  if (error.code === 'invalid-field') {
    if (error.field === 'title' && error.problem === 'characters') return t('errors.titleCharacters')
    if (error.field === 'title') return t('errors.titleInvalid', { max: MAX_TITLE_LENGTH })
    if (error.field === 'language') return t('errors.languageInvalid')
    if (error.field === 'template') return t('errors.templateInvalid')
  }
  return t(`errors.${error.code}`)
}

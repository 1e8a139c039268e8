import { useTranslation } from 'react-i18next'
import { isLanguage } from '../../../shared/languages'
import { LanguageSelect } from './LanguageSelect'
import { changeLanguage, currentLanguage } from '../i18n/i18n'

/** The UI language select in the header; the choice is remembered in this browser. */
export function LanguagePicker() {
  const { t, i18n } = useTranslation()
  const value = i18n.resolvedLanguage && isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : currentLanguage()
  return (
    <label className="language-picker">
      <span className="visually-hidden">{t('app.languageLabel')}</span>
      <LanguageSelect data-testid="language-picker" aria-label={t('app.languageLabel')} value={value} onChange={(language) => language && changeLanguage(language)} />
    </label>
  )
}

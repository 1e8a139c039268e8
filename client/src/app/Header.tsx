import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguagePicker } from './LanguagePicker'
import { Link } from './Link'

/** The bar on top of every page: app name (home link), page content, language picker. */
export function Header({ children }: { children?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <header className="app-header">
      <Link href="/" className="app-header__home" aria-label={t('app.home')}>
        <svg aria-hidden="true" viewBox="0 0 32 32" width="24" height="24">
          <rect width="32" height="32" rx="6" fill="#1d4ed8" />
          <rect x="7" y="8" width="11" height="11" rx="1.5" fill="#fde047" />
          <rect x="14" y="14" width="11" height="11" rx="1.5" fill="#fff" />
        </svg>
        <span className="app-header__name">{t('app.name')}</span>
      </Link>
      <div className="app-header__content">{children}</div>
      <LanguagePicker />
    </header>
  )
}

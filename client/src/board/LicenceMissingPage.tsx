import { useTranslation } from 'react-i18next'
import { Header } from '../app/Header'
import { useDocumentTitle } from '../app/useDocumentTitle'

/** Explains, instead of a blank page, why the editor cannot run on this host. */
export function LicenceMissingPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('licence.title'))
  return (
    <div className="page">
      <Header />
      <main className="page__main page__main--narrow" data-testid="licence-missing">
        <h1>{t('licence.title')}</h1>
        <p>{t('licence.body', { host: location.hostname })}</p>
        <p>{t('licence.operator')}</p>
        <p className="muted">{t('licence.where')}</p>
      </main>
    </div>
  )
}

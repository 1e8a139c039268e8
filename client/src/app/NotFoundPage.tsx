import { useTranslation } from 'react-i18next'
import { Header } from './Header'
import { Link } from './Link'
import { useDocumentTitle } from './useDocumentTitle'

/** Shown for an unknown path or a board that does not exist (any more). */
export function NotFoundPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('notFound.title'))
  return (
    <div className="page">
      <Header />
      <main className="page__main page__main--narrow" data-testid="not-found">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <p>
          <Link href="/" className="button button--primary">
            {t('notFound.link')}
          </Link>
        </p>
      </main>
    </div>
  )
}

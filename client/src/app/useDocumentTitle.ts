import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'

/** Sets the browser tab's title to "<page> · <app name>", in the current language. */
export function useDocumentTitle(page: string): void {
  const { t } = useTranslation()
  useEffect(() => {
    document.title = `${page} · ${t('app.name')}`
  }, [page, t])
}

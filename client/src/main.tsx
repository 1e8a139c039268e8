import { StrictMode, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { useTranslation } from 'react-i18next'
import { App } from './app/App'
import { ErrorBoundary } from './app/ErrorBoundary'
import { setupI18n } from './i18n/i18n'
import { registerServiceWorker } from './serviceWorker'
import './styles.css'

const i18n = setupI18n()

/** Keeps <html lang> in step with the UI language (screen readers, hyphenation). */
function LangAttribute() {
  const { i18n: instance } = useTranslation()
  useEffect(() => {
    document.documentElement.lang = instance.resolvedLanguage ?? 'en'
  }, [instance.resolvedLanguage])
  return null
}

document.documentElement.lang = i18n.resolvedLanguage ?? 'en'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LangAttribute />
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
)

if (import.meta.env.PROD) registerServiceWorker()

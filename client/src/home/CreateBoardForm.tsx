import { LanguageSelect } from '../app/LanguageSelect'
import { useEffect, useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_TITLE_LENGTH, type BoardAccess } from '../../../shared/api'
import { type Language } from '../../../shared/languages'
import { errorMessage } from '../api/errorMessage'
import { createBoard, listTemplates, type CallError, type TemplateListEntry } from '../api/http'
import { currentLanguage } from '../i18n/i18n'
import { TemplatePicker } from './TemplatePicker'

/** Title + board language + template (or blank); the server validates, errors are shown by code and field. */
export function CreateBoardForm({ onCreated }: { onCreated: (created: BoardAccess) => void }) {
  const { t } = useTranslation()
  const id = useId()
  const [title, setTitle] = useState('')
  const [language, setLanguage] = useState<Language>(currentLanguage)
  const [template, setTemplate] = useState<string | undefined>(undefined)
  const [templates, setTemplates] = useState<TemplateListEntry[] | 'failed' | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<CallError | null>(null)

  useEffect(() => {
    let live = true
    void listTemplates().then((result) => live && setTemplates(result.ok ? result.value : 'failed'))
    return () => {
      live = false
    }
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setError(null)
    const result = await createBoard(title, language, template)
    setBusy(false)
    if (result.ok) onCreated(result.value)
    else setError(result.error)
  }

  const titleError = error?.code === 'invalid-field' && error.field === 'title'
  return (
    <section aria-labelledby={`${id}-heading`} className="card">
      <h2 id={`${id}-heading`}>{t('home.createHeading')}</h2>
      <form className="create-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="field field--grow">
          <label htmlFor={`${id}-title`}>{t('home.createTitleLabel')}</label>
          <input
            id={`${id}-title`}
            data-testid="create-title"
            value={title}
            maxLength={MAX_TITLE_LENGTH + 50}
            placeholder={t('home.createTitlePlaceholder')}
            aria-invalid={titleError || undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(event) => setTitle(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-language`}>{t('home.createLanguageLabel')}</label>
          <LanguageSelect id={`${id}-language`} data-testid="create-language" value={language} onChange={(lng) => lng && setLanguage(lng)} />
        </div>
        <TemplatePicker
          templates={templates === 'failed' ? [] : (templates ?? [])}
          unavailable={templates === 'failed'}
          value={template}
          onChange={setTemplate}
          invalid={error?.code === 'invalid-field' && error.field === 'template'}
        />
        <button type="submit" className="button button--primary" data-testid="create-submit" disabled={busy}>
          {busy ? t('home.creating') : t('home.createSubmit')}
        </button>
      </form>
      {error && (
        <p id={`${id}-error`} role="alert" className="error-text" data-testid="create-error">
          {errorMessage(t, error)}
        </p>
      )}
    </section>
  )
}

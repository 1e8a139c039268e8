import { LanguageSelect } from '../app/LanguageSelect'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_TITLE_LENGTH, type BoardAccess } from '../../../shared/api'
import { type Language } from '../../../shared/languages'
import { useClientConfig } from '../api/clientConfig'
import { errorMessage } from '../api/errorMessage'
import { createBoard, listTemplates, type CallError, type TemplateListEntry } from '../api/http'
import { currentLanguage } from '../i18n/i18n'
import { forgetCreationCode, isSendableCode, rememberCreationCode, rememberedCreationCode } from './creationCode'
import { TemplatePicker } from './TemplatePicker'

/** The answers that are about the organiser code rather than the board. */
const CODE_ERRORS: readonly CallError['code'][] = ['creation-code-required', 'creation-code-wrong', 'too-many-attempts']

/**
 * Title + board language + template (or blank), and the organiser code when
 * the server asks for one; the server validates, errors are shown by code and
 * field. A refused code keeps everything typed so far.
 */
export function CreateBoardForm({ onCreated }: { onCreated: (created: BoardAccess) => void }) {
  const { t } = useTranslation()
  const id = useId()
  const config = useClientConfig()
  const [title, setTitle] = useState('')
  const [language, setLanguage] = useState<Language>(currentLanguage)
  const [template, setTemplate] = useState<string | undefined>(undefined)
  const [templates, setTemplates] = useState<TemplateListEntry[] | 'failed' | undefined>(undefined)
  const [code, setCode] = useState(rememberedCreationCode)
  // Set when the server answered about the code although its config said (or was remembered as) open.
  const [codeAsked, setCodeAsked] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<CallError | null>(null)
  const codeInput = useRef<HTMLInputElement>(null)
  const codeError = error !== null && CODE_ERRORS.includes(error.code)
  // Too many attempts is about the address, not what was typed.
  const codeInvalid = error?.code === 'creation-code-required' || error?.code === 'creation-code-wrong'
  const asksCode = config?.boardCreation === 'code' || codeAsked

  // After a refused code the cursor goes where the fix is.
  useEffect(() => {
    if (codeError) codeInput.current?.focus()
  }, [error, codeError])

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
    // Sent whenever there is one, even before the config has said whether it is needed; an open server ignores it.
    const sent = code.trim()
    if (sent !== '' && !isSendableCode(sent)) {
      // No code of this server has such characters, and a browser could not send them anyway.
      setCodeAsked(true)
      setError({ code: 'creation-code-wrong' })
      return
    }
    setBusy(true)
    setError(null)
    const result = await createBoard(title, language, template, sent || undefined)
    setBusy(false)
    if (result.ok) {
      if (sent) rememberCreationCode(sent)
      onCreated(result.value)
      return
    }
    if (CODE_ERRORS.includes(result.error.code)) setCodeAsked(true)
    // The remembered code was changed on the server: do not offer it again (what was typed stays in the field).
    if (result.error.code === 'creation-code-wrong' && sent === rememberedCreationCode()) forgetCreationCode()
    setError(result.error)
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
        {asksCode && (
          <div className="field creation-code">
            <label htmlFor={`${id}-code`}>{t('home.creationCodeLabel')}</label>
            <input
              ref={codeInput}
              id={`${id}-code`}
              data-testid="create-code"
              type="password"
              value={code}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={codeInvalid || undefined}
              aria-describedby={codeError ? `${id}-code-hint ${id}-error` : `${id}-code-hint`}
              onChange={(event) => setCode(event.target.value)}
            />
            <p id={`${id}-code-hint`} className="hint">
              {t('home.creationCodeHint')}
            </p>
          </div>
        )}
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

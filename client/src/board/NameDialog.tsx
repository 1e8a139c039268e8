import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from '../app/Dialog'
import { MAX_NAME_LENGTH } from '../user/identity'

/** Asks for the name shown next to your cursor; once per browser, or on request. */
export function NameDialog({
  open,
  initialName,
  onSubmit,
  onCancel,
}: {
  open: boolean
  initialName: string
  onSubmit: (name: string) => void
  /** Absent on the first visit: a name is needed before joining. */
  onCancel?: () => void
}) {
  const { t } = useTranslation()
  const [name, setName] = useState(initialName)
  const [error, setError] = useState(false)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) return setError(true)
    onSubmit(name.trim())
  }
  return (
    <Dialog open={open} title={t('name.title')} testId="name-dialog" dismissable={!!onCancel} onCancel={onCancel}>
      <form onSubmit={submit} noValidate>
        <p>{t('name.body')}</p>
        <div className="field">
          <label htmlFor="name-input">{t('name.label')}</label>
          <input
            id="name-input"
            data-testid="name-input"
            autoFocus
            autoComplete="nickname"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            placeholder={t('name.placeholder')}
            aria-invalid={error || undefined}
            aria-describedby={error ? 'name-error' : undefined}
            onChange={(event) => {
              setName(event.target.value)
              setError(false)
            }}
          />
        </div>
        {error && (
          <p id="name-error" role="alert" className="error-text">
            {t('name.required')}
          </p>
        )}
        <div className="dialog__actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              {t('home.cancel')}
            </button>
          )}
          <button type="submit" className="button button--primary" data-testid="name-submit">
            {t('name.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

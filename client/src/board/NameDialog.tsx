import { LanguageSelect } from '../app/LanguageSelect'
import { useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { type Language } from '../../../shared/languages'
import { Dialog } from '../app/Dialog'
import { detectedTimeZone, MAX_NAME_LENGTH, MAX_ORGANISATION_LENGTH } from '../user/identity'

/** What the dialog asks: the name next to your cursor, and where you come from. */
export interface JoinDetails {
  name: string
  organisation: string
  language: Language
  timeZone: string
}

/** Every time zone this browser knows, the detected one included. */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return Array.from(new Set([current, detectedTimeZone(), ...known])).sort()
}

/** Asks who you are when you join (once per browser, or on request): name, organisation, language, time zone. */
export function NameDialog({
  open,
  initial,
  onSubmit,
  onCancel,
}: {
  open: boolean
  initial: JoinDetails
  onSubmit: (details: JoinDetails) => void
  /** Absent on the first visit: a name is needed before joining. */
  onCancel?: () => void
}) {
  const { t } = useTranslation()
  const [name, setName] = useState(initial.name)
  const [organisation, setOrganisation] = useState(initial.organisation)
  const [language, setLanguage] = useState<Language>(initial.language)
  const [timeZone, setTimeZone] = useState(initial.timeZone)
  const zones = useMemo(() => timeZones(initial.timeZone), [initial.timeZone])
  const [error, setError] = useState(false)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) return setError(true)
    onSubmit({ name: name.trim(), organisation: organisation.trim(), language, timeZone })
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
        <div className="field">
          <label htmlFor="organisation-input">{t('name.organisation')}</label>
          <input
            id="organisation-input"
            data-testid="organisation-input"
            autoComplete="organization"
            value={organisation}
            maxLength={MAX_ORGANISATION_LENGTH}
            placeholder={t('name.organisationPlaceholder')}
            onChange={(event) => setOrganisation(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="profile-language">{t('name.language')}</label>
          <LanguageSelect id="profile-language" data-testid="profile-language" value={language} onChange={(l) => l && setLanguage(l)} />
        </div>
        <div className="field">
          <label htmlFor="profile-time-zone">{t('name.timeZone')}</label>
          <select id="profile-time-zone" data-testid="profile-time-zone" value={timeZone} onChange={(event) => setTimeZone(event.target.value)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
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

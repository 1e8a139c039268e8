import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { TemplateSummary } from '../../../shared/templates'
import { currentLanguage } from '../i18n/i18n'

/** Blank board or one of the server's templates, each with its purpose, time and group size in the UI language. */
export function TemplatePicker({
  templates,
  unavailable,
  value,
  onChange,
  invalid,
}: {
  templates: TemplateSummary[]
  unavailable: boolean
  value: string | undefined
  onChange: (id: string | undefined) => void
  invalid: boolean
}) {
  const { t } = useTranslation()
  const id = useId()
  const ui = currentLanguage()
  const options = [
    { id: undefined, name: t('home.templateBlank'), purpose: t('home.templateBlankPurpose'), meta: undefined },
    ...templates.map((template) => {
      const texts = template.texts[ui]
      return {
        id: template.id,
        name: texts.name,
        purpose: texts.purpose,
        meta: t('home.templateMeta', { time: texts.timeNeeded, groupSize: texts.groupSize }),
      }
    }),
  ]
  return (
    <fieldset className="template-picker" data-testid="create-template" aria-invalid={invalid || undefined}>
      <legend>{t('home.createTemplateLabel')}</legend>
      <div className="template-options">
        {options.map((option) => (
          <label
            key={option.id ?? ''}
            className="template-option"
            data-testid="template-option"
            data-template-id={option.id ?? 'blank'}
          >
            <input
              type="radio"
              name={`${id}-template`}
              checked={value === option.id}
              onChange={() => onChange(option.id)}
            />
            <span className="template-option__text">
              <span className="template-option__name">{option.name}</span>
              <span className="template-option__purpose">{option.purpose}</span>
              {option.meta && <span className="template-option__meta">{option.meta}</span>}
            </span>
          </label>
        ))}
      </div>
      {unavailable && <p className="hint">{t('home.templatesUnavailable')}</p>}
    </fieldset>
  )
}

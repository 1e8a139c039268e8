import { useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { TemplateListEntry } from '../api/http'
import { currentLanguage } from '../i18n/i18n'
import { TemplatePreviewImage } from './TemplatePreview'

/**
 * The template gallery shared by the home page's create form and the in-board
 * template panel: one radio group (arrow keys move, Space picks), each choice
 * with its miniature, name, one-line purpose, time needed and group size in
 * the UI language. With `blank`, a "blank board" choice comes first.
 */
export function TemplateGallery({
  legend,
  templates,
  value,
  onChange,
  blank = false,
  invalid = false,
  children,
  testId = 'template-gallery',
}: {
  legend: string
  templates: TemplateListEntry[]
  /** The chosen template's id; undefined is the blank board (or nothing chosen yet). */
  value: string | undefined
  onChange: (id: string | undefined) => void
  blank?: boolean
  invalid?: boolean
  /** Shown under the choices (hints, errors). */
  children?: ReactNode
  testId?: string
}) {
  const { t } = useTranslation()
  const id = useId()
  const ui = currentLanguage()
  const options = [
    ...(blank ? [{ id: undefined, name: t('home.templateBlank'), purpose: t('home.templateBlankPurpose'), meta: undefined, preview: undefined }] : []),
    ...templates.map((template) => {
      const texts = template.texts[ui]
      return {
        id: template.id,
        name: texts.name,
        purpose: texts.purpose,
        meta: t('home.templateMeta', { time: texts.timeNeeded, groupSize: texts.groupSize }),
        preview: template.preview,
      }
    }),
  ]
  return (
    <fieldset className="template-picker" data-testid={testId} aria-invalid={invalid || undefined}>
      <legend>{legend}</legend>
      <div className="template-options">
        {options.map((option) => {
          return (
            <label key={option.id ?? ''} className="template-option" data-testid="template-option" data-template-id={option.id ?? 'blank'}>
              <input
                type="radio"
                className="visually-hidden"
                name={`${id}-template`}
                checked={value === option.id}
                onChange={() => onChange(option.id)}
              />
              <TemplatePreviewImage preview={option.preview} />
              <span className="template-option__text">
                <span className="template-option__name">{option.name}</span>
                <span className="template-option__purpose">{option.purpose}</span>
                {option.meta && <span className="template-option__meta">{option.meta}</span>}
              </span>
            </label>
          )
        })}
      </div>
      {children}
    </fieldset>
  )
}

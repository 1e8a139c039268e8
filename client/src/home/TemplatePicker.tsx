import { useTranslation } from 'react-i18next'
import type { TemplateListEntry } from '../api/http'
import { TemplateGallery } from '../templates/TemplateGallery'

/** Blank board or one of the server's templates, in the shared template gallery. */
export function TemplatePicker({
  templates,
  unavailable,
  value,
  onChange,
  invalid,
}: {
  templates: TemplateListEntry[]
  unavailable: boolean
  value: string | undefined
  onChange: (id: string | undefined) => void
  invalid: boolean
}) {
  const { t } = useTranslation()
  return (
    <TemplateGallery
      legend={t('home.createTemplateLabel')}
      templates={templates}
      value={value}
      onChange={onChange}
      blank
      invalid={invalid}
      testId="create-template"
    >
      {unavailable && <p className="hint">{t('home.templatesUnavailable')}</p>}
    </TemplateGallery>
  )
}

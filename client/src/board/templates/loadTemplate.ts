/** Fetches one template for the in-board panel and runs the ONE template validator on it. */
import { LANGUAGES } from '../../../../shared/languages'
import { err, ok, type Result } from '../../../../shared/result'
import { validateTemplateFolder, type LoadedTemplate, type TemplateFolder } from '../../../../shared/templates'
import { getTemplateFiles, type CallError } from '../../api/http'

/** A template the server sent and the validator accepted; a refusal is `invalid` (and logged with the validator's words). */
export async function loadTemplate(id: string): Promise<Result<LoadedTemplate, CallError | { code: 'invalid' }>> {
  const files = await getTemplateFiles(id)
  if (!files.ok) return files
  const source = `GET /api/templates/${id}`
  const folder: TemplateFolder = {
    folder: id,
    templateFile: `${source} definition`,
    template: files.value.definition,
    textsFiles: Object.fromEntries(LANGUAGES.map((lng) => [lng, { file: `${source} texts.${lng}`, json: files.value.texts[lng] }])) as TemplateFolder['textsFiles'],
  }
  const template = validateTemplateFolder(folder)
  if (template.ok) return ok(template.value)
  console.warn(`[templates] refused ${source}: ${template.error}`)
  return err({ code: 'invalid' })
}

/**
 * Reads every template folder under `templates/` and validates it with the
 * shared validator. Called once at start-up: a broken template stops the
 * server with a message naming the file and the field, never a user's click.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LANGUAGES, type Language } from '../../../shared/languages'
import { err, ok, type Result } from '../../../shared/result'
import { summarizeTemplate, validateTemplateFolder, type LoadedTemplate, type TemplateFolder, type TemplateSummary } from '../../../shared/templates'

/** The repository's `templates/` directory. */
export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates')

/** The validated templates, by id, in the order they are offered. */
export interface TemplateCatalog {
  get(id: string): LoadedTemplate | undefined
  ids(): string[]
  summaries(): TemplateSummary[]
}

function readJson(file: string, shownAs: string): Result<unknown, string> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return err(`${shownAs}: cannot be read (${code === 'ENOENT' ? 'file missing' : String(code ?? error)})`)
  }
  try {
    return ok(JSON.parse(text))
  } catch (error) {
    return err(`${shownAs}: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}

/** Reads one folder's files; JSON syntax errors and missing files name the file. */
export function readTemplateFolder(dir: string, folder: string, shownDir = 'templates'): Result<TemplateFolder, string> {
  const shown = (name: string) => `${shownDir}/${folder}/${name}`
  const template = readJson(path.join(dir, folder, 'template.json'), shown('template.json'))
  if (!template.ok) return template
  const textsFiles = {} as TemplateFolder['textsFiles']
  for (const language of LANGUAGES) {
    const name = `texts.${language}.json`
    const json = readJson(path.join(dir, folder, name), shown(name))
    if (!json.ok) return json
    textsFiles[language as Language] = { file: shown(name), json: json.value }
  }
  return ok({ folder, templateFile: shown('template.json'), template: template.value, textsFiles })
}

/** Loads and validates every folder in `dir`; the first broken one is the error. */
export function loadTemplates(dir: string = TEMPLATES_DIR, shownDir = 'templates'): Result<TemplateCatalog, string> {
  let folders: string[]
  try {
    folders = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort()
  } catch (error) {
    return err(`${shownDir}: cannot be read (${error instanceof Error ? error.message : String(error)})`)
  }
  const loaded: LoadedTemplate[] = []
  for (const folder of folders) {
    const raw = readTemplateFolder(dir, folder, shownDir)
    if (!raw.ok) return raw
    const template = validateTemplateFolder(raw.value)
    if (!template.ok) return template
    loaded.push(template.value)
  }
  return ok(templateCatalog(loaded))
}

/** A catalog of already validated templates, in their `order`. */
export function templateCatalog(templates: LoadedTemplate[]): TemplateCatalog {
  const sorted = [...templates].sort((a, b) => a.definition.order - b.definition.order || a.definition.id.localeCompare(b.definition.id))
  const byId = new Map(sorted.map((template) => [template.definition.id, template]))
  const summaries = sorted.map(summarizeTemplate)
  return { get: (id) => byId.get(id), ids: () => [...byId.keys()], summaries: () => summaries }
}

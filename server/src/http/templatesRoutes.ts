/** The templates: the list a board can be created from, and one template's layout and texts. */
import { Router } from 'express'
import type { TemplateCatalog } from '../templates/loadTemplates'
import { notFound } from './errors'

/** Routes under /api/templates. */
export function templatesRoutes(templates: TemplateCatalog): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    res.json(templates.summaries())
  })
  // The in-board template panel instantiates a template in the browser (shared/templates.ts),
  // so it needs the validated layout and every language's texts.
  router.get('/:id', (req, res) => {
    const template = templates.get(req.params.id)
    if (!template) return notFound(res, `no template "${req.params.id}"`)
    res.json({ definition: template.definition, texts: template.texts })
  })
  return router
}

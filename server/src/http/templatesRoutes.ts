/** The template list: what a board can be created from, in every language. */
import { Router } from 'express'
import type { TemplateCatalog } from '../templates/loadTemplates'

/** Routes under /api/templates. */
export function templatesRoutes(templates: TemplateCatalog): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    res.json(templates.summaries())
  })
  return router
}

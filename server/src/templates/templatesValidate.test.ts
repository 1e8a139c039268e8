/**
 * Every record a template places passes the same check every change to a
 * board passes (shared/validation/records.ts). Otherwise the server would
 * refuse a facilitator's template insertion, and the sweep at load would
 * remove template shapes it judged unreadable.
 */
import { describe, expect, it } from 'vitest'
import { createBoardSchema } from '../../../shared/boardSchema'
import { LANGUAGES } from '../../../shared/languages'
import { instantiateTemplate } from '../../../shared/templates'
import { checkRecord } from '../../../shared/validation/records'
import { loadTemplates } from './loadTemplates'

describe('templates and the record validator', () => {
  it('every shape of every template, in every language, is a valid record', () => {
    const catalog = loadTemplates()
    if (!catalog.ok) throw new Error(catalog.error)
    const schema = createBoardSchema()
    const problems: string[] = []
    let checked = 0
    for (const id of catalog.value.ids()) {
      const template = catalog.value.get(id)!
      for (const language of LANGUAGES) {
        for (const record of instantiateTemplate(template.definition, template.texts[language], language, { x: 0, y: 0 })) {
          const check = checkRecord(schema, record.id, record)
          checked++
          if (!check.ok) problems.push(`${id} (${language}) ${record.id}: ${check.reason}`)
        }
      }
    }
    expect(problems).toEqual([])
    expect(checked).toBeGreaterThan(100)
  })
})

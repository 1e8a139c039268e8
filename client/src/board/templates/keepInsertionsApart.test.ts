import { describe, expect, it } from 'vitest'
import { loadTemplates } from '../../../../server/src/templates/loadTemplates'
import { instantiateTemplate } from '../../../../shared/templates'
import { insertionNonce } from './keepInsertionsApart'

describe('insertionNonce', () => {
  it("reads the insertion's nonce from every shape of a template, dashes in the template id and frame keys included", () => {
    const catalog = loadTemplates()
    if (!catalog.ok) throw new Error(catalog.error)
    const template = catalog.value.get('stakeholder-analysis')!
    const records = instantiateTemplate(template.definition, template.texts.en, 'en', { x: 0, y: 0 }, { nonce: 'k3x9q2' })
    for (const record of records) expect(insertionNonce(record as unknown as { id: string; meta: Record<string, unknown> })).toBe('k3x9q2')
  })

  it('says nothing about shapes that did not come from a template', () => {
    expect(insertionNonce({ id: 'shape:abc', meta: {} })).toBeUndefined()
    // A pasted copy gets a fresh id but keeps the meta: it is not an insertion.
    expect(insertionNonce({ id: 'shape:Xy7Pq', meta: { template: 'focus-sharpener' } })).toBeUndefined()
  })
})

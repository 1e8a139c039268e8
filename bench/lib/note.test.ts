import { describe, expect, it } from 'vitest'
import { createBoardSchema } from '../../shared/boardSchema'
import { noteRecord, shapeId } from './note'

describe('bench notes', () => {
  it('are valid tldraw notes, as a browser would accept them', () => {
    const schema = createBoardSchema()
    // Many of them: index keys must stay valid however far the counter goes.
    for (let i = 0; i < 3000; i++) expect(() => schema.types.shape.validate(noteRecord(shapeId(), 0, 0, {}))).not.toThrow()
  })
})

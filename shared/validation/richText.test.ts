import { getSchema } from '@tiptap/core'
import { tipTapDefaultExtensions } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { jsonDepth, MAX_RICH_TEXT_DEPTH, richTextProblem, richTextSchema } from './richText'

/** Node and mark names with their attributes: what decides whether the editor can render rich text. */
function shape(schema: ReturnType<typeof richTextSchema>) {
  const describeTypes = (types: Record<string, { spec: { attrs?: object } }>) =>
    Object.fromEntries(Object.entries(types).map(([name, type]) => [name, Object.keys(type.spec.attrs ?? {}).sort()]))
  return { nodes: describeTypes(schema.nodes as never), marks: describeTypes(schema.marks as never) }
}

describe('rich text the editor can render', () => {
  it("uses exactly tldraw's editor schema (fails when a tldraw upgrade changes its node or mark set)", () => {
    expect(shape(richTextSchema())).toEqual(shape(getSchema(tipTapDefaultExtensions)))
  })

  it('accepts what the editor writes: paragraphs, lists, headings, marks, links', () => {
    const text = (value: string, marks?: object[]) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) })
    const doc = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [text('plain '), text('bold', [{ type: 'bold' }]), text('link', [{ type: 'link', attrs: { href: 'https://example.org' } }])] },
        { type: 'heading', attrs: { level: 2 }, content: [text('Heading')] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('item', [{ type: 'highlight' }])] }] }] },
        { type: 'paragraph' },
      ],
    }
    expect(richTextProblem(doc)).toBeUndefined()
    expect(richTextProblem({ type: 'doc', content: [] })).toBeUndefined()
  })

  it('names what it refuses: unknown nodes and marks, misplaced text, deep nesting, not a doc', () => {
    expect(richTextProblem({ type: 'doc', content: [{ type: 'bogus' }] })).toMatch(/Unknown node type: bogus/)
    expect(richTextProblem({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] }] })).toMatch(/blink/)
    expect(richTextProblem({ type: 'doc', content: [{ type: 'text', text: 'x' }] })).toMatch(/Invalid content/)
    expect(richTextProblem({ type: 'paragraph' })).toMatch(/"doc"/)
    expect(richTextProblem('text')).toMatch(/object/)
    let deep: object = { type: 'paragraph' }
    for (let i = 0; i < 2000; i++) deep = { type: 'bulletList', content: [{ type: 'listItem', content: [deep] }] }
    expect(richTextProblem({ type: 'doc', content: [deep] })).toMatch(/nested deeper/)
    const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] })
    expect(richTextProblem({ type: 'doc', content: [paragraph('a'.repeat(6000)), paragraph('b'.repeat(4000))] })).toBeUndefined()
    expect(richTextProblem({ type: 'doc', content: [paragraph('a'.repeat(6000)), paragraph('b'.repeat(4001))] })).toMatch(/10001 characters/)
  })

  it('measures depth without recursion', () => {
    let value: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) value = [value]
    expect(jsonDepth(value, MAX_RICH_TEXT_DEPTH)).toBe(MAX_RICH_TEXT_DEPTH + 1)
    expect(jsonDepth({ a: [1, { b: 2 }] }, 10)).toBe(3)
  })
})

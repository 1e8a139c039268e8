import { describe, expect, it } from 'vitest'
import { loadTemplates } from '../server/src/templates/loadTemplates'
import { boxesOverlap, placeBeside, templateBounds, unionOf, type Box } from './templatePlacement'
import { instantiateTemplate, NOTE_SIZE, type LoadedTemplate } from './templates'

const catalog = loadTemplates()
if (!catalog.ok) throw new Error(catalog.error)
const templates = catalog.value.ids().map((id) => catalog.value.get(id)!)

type Shape = { id: string; type: string; parentId: string; x: number; y: number; props: { w?: number; h?: number } }

/** Page boxes of the top-level shapes an instantiation makes (children lie inside their frames). */
function placedBoxes(template: LoadedTemplate, origin: { x: number; y: number }, nonce: string): Box[] {
  return (instantiateTemplate(template.definition, template.texts.en, 'en', origin, { nonce }) as unknown as Shape[])
    .filter((shape) => shape.parentId === 'page:page')
    .map((shape) => ({
      x: shape.x,
      y: shape.y,
      w: shape.type === 'note' ? NOTE_SIZE : shape.props.w!,
      h: shape.type === 'note' ? NOTE_SIZE : shape.props.h!,
    }))
}

/** Inserts like the panel does: beside everything placed so far. Returns the new shapes' boxes. */
function insert(page: Box[], template: LoadedTemplate, nonce: string): Box[] {
  const origin = placeBeside(page, templateBounds(template.definition))
  return placedBoxes(template, origin, nonce)
}

function overlapping(a: Box[], b: Box[]): [Box, Box][] {
  return a.flatMap((x) => b.filter((y) => boxesOverlap(x, y)).map((y): [Box, Box] => [x, y]))
}

describe('placing a template beside the page content', () => {
  it('covers exactly the frames and the card of a template', () => {
    for (const template of templates) {
      const bounds = templateBounds(template.definition)
      expect(unionOf(placedBoxes(template, { x: 0, y: 0 }, 'b'))).toEqual(bounds)
    }
  })

  it('overlaps nothing already on the page, for every template, wherever the content is', () => {
    const pages: Box[][] = [
      // a board made from a template at the origin
      placedBoxes(templates[0]!, { x: 0, y: 0 }, 'seed'),
      // notes scattered far out, some at negative coordinates, one huge drawing
      [
        { x: -5000, y: 300, w: 200, h: 200 },
        { x: 12_000, y: -8000, w: 200, h: 200 },
        { x: 400, y: 9000, w: 6000, h: 3000 },
      ],
      // a single note
      [{ x: 10, y: 10, w: 200, h: 200 }],
    ]
    for (const page of pages) {
      for (const template of templates) {
        const added = insert(page, template, 'x')
        expect(overlapping(added, page), `${template.definition.id} over existing content`).toEqual([])
        // Beside, not somewhere far away: the gap to the content is the placement gap.
        const content = unionOf(page)!
        expect(unionOf(added)!.x - (content.x + content.w)).toBeGreaterThan(0)
        expect(unionOf(added)!.y).toBe(content.y)
      }
    }
  })

  it('puts two insertions side by side without overlapping each other', () => {
    for (const [a, b] of [
      [templates[0]!, templates[1]!],
      [templates[2]!, templates[2]!], // the same template twice
    ] as const) {
      const page = placedBoxes(templates[3]!, { x: 0, y: 0 }, 'seed')
      const first = insert(page, a, 'one')
      const second = insert([...page, ...first], b, 'two')
      expect(overlapping(second, first)).toEqual([])
      expect(overlapping(second, page)).toEqual([])
      expect(unionOf(second)!.x).toBeGreaterThan(unionOf(first)!.x)
    }
  })

  it('gives the same template unique shape ids on each insertion', () => {
    const template = templates[0]!
    const ids = (nonce: string) => instantiateTemplate(template.definition, template.texts.en, 'en', { x: 0, y: 0 }, { nonce }).map((r) => r.id)
    const first = new Set(ids('aaaa'))
    expect(ids('bbbb').filter((id) => first.has(id))).toEqual([])
  })

  it('starts an empty page at the origin', () => {
    const template = templates[0]!
    const bounds = templateBounds(template.definition)
    const origin = placeBeside([], bounds)
    expect({ x: origin.x + bounds.x, y: origin.y + bounds.y }).toEqual({ x: 0, y: 0 })
  })
})

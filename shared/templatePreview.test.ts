import { DEFAULT_THEME } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { loadTemplates } from '../server/src/templates/loadTemplates'
import { parseTemplatePreview, PREVIEW_PALETTE, PREVIEW_PAPER, templatePreview } from './templatePreview'
import { DefaultColorStyle } from '@tldraw/tlschema'
import type { TemplateDefinition } from './templates'

const catalog = loadTemplates()
if (!catalog.ok) throw new Error(catalog.error)
const templates = catalog.value.ids().map((id) => catalog.value.get(id)!)

describe('template previews', () => {
  it("use tldraw's own colours for every colour a template may name", () => {
    const light = DEFAULT_THEME.colors.light as unknown as Record<string, { solid: string; semi: string; noteFill: string }> & { solid: string }
    expect(Object.keys(PREVIEW_PALETTE).sort()).toEqual([...DefaultColorStyle.values].sort())
    for (const [name, colour] of Object.entries(PREVIEW_PALETTE)) {
      expect(colour, name).toEqual({ solid: light[name]!.solid, semi: light[name]!.semi, note: light[name]!.noteFill })
    }
    expect(PREVIEW_PAPER).toBe(light.solid)
  })

  for (const template of templates) {
    const { definition } = template
    it(`${definition.id}: one box per frame, heading, item and card, inside the miniature, in the template's colours`, () => {
      const preview = templatePreview(definition)
      const items = definition.frames.flatMap((frame) => frame.items)
      expect(preview.boxes.filter((b) => b.kind === 'frame').map((b) => b.color)).toEqual(definition.frames.map((f) => f.color))
      expect(preview.boxes.filter((b) => b.kind === 'heading')).toHaveLength(definition.frames.length)
      expect(preview.boxes.filter((b) => b.kind === 'area').map((b) => b.color)).toEqual(items.flatMap((i) => (i.kind === 'area' ? [i.color] : [])))
      expect(preview.boxes.filter((b) => b.kind === 'example')).toHaveLength(items.filter((i) => i.kind === 'example').length)
      expect(preview.boxes.filter((b) => b.kind === 'prompt')).toHaveLength(items.filter((i) => i.kind === 'prompt').length)
      expect(preview.boxes.filter((b) => b.kind === 'card')).toHaveLength(1)
      for (const box of preview.boxes) {
        expect(box.x).toBeGreaterThanOrEqual(0)
        expect(box.y).toBeGreaterThanOrEqual(0)
        expect(box.x + box.w).toBeLessThanOrEqual(preview.w)
        expect(box.y + box.h).toBeLessThanOrEqual(preview.h)
      }
      // What the client accepts is exactly what the server sends.
      expect(parseTemplatePreview(JSON.parse(JSON.stringify(preview)))).toEqual(preview)
    })
  }

  it('keeps the geometry: a frame 2,000 units right of another is drawn there, and rings stay ellipses', () => {
    const definition: TemplateDefinition = {
      formatVersion: 1,
      id: 'two',
      order: 1,
      frames: [
        { key: 'a', x: 0, y: 0, w: 1000, h: 800, heading: 'a', color: 'blue', items: [{ kind: 'area', x: 40, y: 200, w: 400, h: 400, color: 'green', shape: 'ellipse' }] },
        {
          key: 'b',
          x: 2000,
          y: 0,
          w: 1000,
          h: 800,
          heading: 'b',
          color: 'red',
          items: [{ kind: 'widget', shape: 'radar', x: 100, y: 200, w: 600, h: 500 }],
        },
      ],
      card: { x: -500, y: 0, w: 400, h: 800 },
    }
    const preview = templatePreview(definition)
    expect({ w: preview.w, h: preview.h }).toEqual({ w: 3500, h: 800 })
    const [a, b] = preview.boxes.filter((box) => box.kind === 'frame')
    expect(b!.x - a!.x).toBe(2000)
    expect(preview.boxes.find((box) => box.kind === 'area')).toMatchObject({ x: 540, y: 200, ellipse: true, color: 'green' })
    // Our own shapes (radar, SDG circle...) show as boxes where they will be.
    expect(preview.boxes.find((box) => box.kind === 'widget')).toMatchObject({ x: 2600, y: 200, w: 600, h: 500 })
    expect(preview.boxes.find((box) => box.kind === 'card')).toMatchObject({ x: 0, y: 0, color: 'light-violet' })
  })

  it('refuses a malformed preview instead of drawing it', () => {
    const good = templatePreview(templates[0]!.definition)
    expect(parseTemplatePreview({ ...good, boxes: [] })).toBeUndefined()
    expect(parseTemplatePreview({ ...good, boxes: [{ ...good.boxes[0], kind: 'iframe' }] })).toBeUndefined()
    expect(parseTemplatePreview({ ...good, boxes: [{ ...good.boxes[0], w: -1 }] })).toBeUndefined()
    expect(parseTemplatePreview({ ...good, h: '800' })).toBeUndefined()
  })
})

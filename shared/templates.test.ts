import { FrameShapeUtil, GeoShapeUtil, NoteShapeUtil, TextShapeUtil } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTemplates, readTemplateFolder, TEMPLATES_DIR } from '../server/src/templates/loadTemplates'
import { T } from '@tldraw/validate'
import { createBoardSchema, CUSTOM_SHAPES } from './boardSchema'
import { LANGUAGES } from './languages'
import { instantiateTemplate, templateTextKeys, validateTemplateFolder, type TemplateFolder } from './templates'

const catalog = loadTemplates()
if (!catalog.ok) throw new Error(catalog.error)
const templates = catalog.value.ids().map((id) => catalog.value.get(id)!)
const schema = createBoardSchema()
// The editor's own defaults: the schema accepts values (fontSizeAdjustment 0, scale 0) that render nothing.
const defaults: Record<string, Record<string, unknown>> = Object.fromEntries(
  [FrameShapeUtil, GeoShapeUtil, NoteShapeUtil, TextShapeUtil].map((Util) => [
    Util.type,
    (new Util({} as ConstructorParameters<typeof Util>[0]) as unknown as { getDefaultProps(): Record<string, unknown> }).getDefaultProps(),
  ]),
)

type Shape = { id: string; type: string; parentId: string; x: number; y: number; isLocked: boolean; props: Record<string, unknown>; meta: Record<string, unknown> }

function plainText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return ''
  const n = node as { text?: string; content?: unknown[] }
  return (n.text ?? '') + (n.content ?? []).map(plainText).join(n.content && (node as { type: string }).type === 'doc' ? '\n' : '')
}

describe('templates on disk', () => {
  it('includes the Focus Sharpener and the Stakeholder Analysis', () => {
    expect(catalog.value.ids()).toEqual(expect.arrayContaining(['focus-sharpener', 'stakeholder-analysis']))
  })

  for (const template of templates) {
    const { id } = template.definition
    describe(id, () => {
      for (const language of LANGUAGES) {
        it(`instantiates in ${language} into records that all pass tldraw's schema`, () => {
          const records = instantiateTemplate(template.definition, template.texts[language], language, { x: 100, y: 50 })
          expect(records.length).toBeGreaterThan(template.definition.frames.length)
          for (const record of records) expect(() => schema.types.shape.validate(record), record.id).not.toThrow()
          expect(new Set(records.map((r) => r.id)).size).toBe(records.length)

          const shapes = records as unknown as Shape[]
          const frames = shapes.filter((s) => s.type === 'frame')
          expect(frames.map((f) => f.props.name)).toEqual(template.definition.frames.map((f) => template.texts[language][f.heading]))
          // Same props as the editor's defaults, and the same sizing factors (so text is visible).
          for (const shape of shapes) {
            const fallback = CUSTOM_SHAPES[shape.type]?.defaultProps() ?? defaults[shape.type]
            expect(Object.keys(shape.props).sort(), shape.type).toEqual(Object.keys(fallback).sort())
            for (const factor of ['scale', 'fontSizeAdjustment', 'growY']) expect(shape.props[factor], `${shape.id} ${factor}`).toEqual(fallback[factor])
          }
          // Frames do not overlap each other, nor the card.
          const boxes = shapes
            .filter((s) => s.parentId === 'page:page' && s.type !== 'note' && !CUSTOM_SHAPES[s.type])
            .map((s) => ({ id: s.id, x: s.x, y: s.y, w: s.props.w as number, h: s.props.h as number }))
          for (const a of boxes)
            for (const b of boxes)
              if (a !== b) expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h, `${a.id} overlaps ${b.id}`).toBe(false)
          // Examples sit on the page (children of a locked frame would be locked too), over their frame.
          for (const note of shapes.filter((s) => s.type === 'note')) {
            const frame = frames.find((f) => f.meta.templateFrame === note.meta.templateFrame)!
            expect(note.parentId).toBe('page:page')
            expect(note.x >= frame.x && note.y >= frame.y && note.x + 200 <= frame.x + (frame.props.w as number) && note.y + 200 <= frame.y + (frame.props.h as number)).toBe(true)
          }
          // Widgets (our own shapes) sit on the page too, inside their frame.
          for (const widget of shapes.filter((s) => CUSTOM_SHAPES[s.type])) {
            const frame = frames.find((f) => f.meta.templateFrame === widget.meta.templateFrame)!
            expect(widget.parentId).toBe('page:page')
            const [w, h] = [widget.props.w as number, widget.props.h as number]
            expect(widget.x >= frame.x && widget.y >= frame.y && widget.x + w <= frame.x + (frame.props.w as number) && widget.y + h <= frame.y + (frame.props.h as number), widget.id).toBe(true)
          }
          // Everything but the examples and widgets is locked; the examples are marked as such.
          for (const shape of shapes) {
            if (CUSTOM_SHAPES[shape.type]) continue
            if (shape.type === 'note') {
              expect(shape.isLocked).toBe(false)
              expect(shape.meta.templateExample).toBe(true)
            } else expect(shape.isLocked, shape.id).toBe(true)
          }
          // Every child hangs off a frame of this template.
          const frameIds = new Set(frames.map((f) => f.id))
          for (const shape of shapes) expect(shape.parentId === 'page:page' || frameIds.has(shape.parentId)).toBe(true)
          // Indices are valid and unique per parent.
          for (const parent of new Set(shapes.map((s) => s.parentId))) {
            const indices = records.filter((r) => r.parentId === parent).map((r) => r.index as string)
            expect(new Set(indices).size).toBe(indices.length)
          }
        })
      }

      it('has the same geometry in every language', () => {
        const strip = (language: (typeof LANGUAGES)[number]) =>
          (instantiateTemplate(template.definition, template.texts[language], language, { x: 0, y: 0 }, { nonce: 'n' }) as unknown as Shape[]).map(
            ({ id, type, parentId, x, y, props }) => ({ id, type, parentId, x, y, w: props.w, h: props.h }),
          )
        expect(strip('nl')).toEqual(strip('en'))
        expect(strip('es')).toEqual(strip('en'))
      })

      it('has every text key in every language and no stray ones', () => {
        const keys = [...templateTextKeys(template.definition)].sort()
        for (const language of LANGUAGES) expect(Object.keys(template.texts[language]).sort(), language).toEqual(keys)
      })

      it('writes the texts of the chosen language on the board', () => {
        const records = instantiateTemplate(template.definition, template.texts.es, 'es', { x: 0, y: 0 }) as unknown as Shape[]
        const all = records.map((r) => plainText(r.props.richText)).join('\n')
        expect(all).toContain(template.texts.es['card.goal'])
        expect(all).toContain('Ejemplo')
        expect(all).not.toContain(template.texts.en['card.goal'])
      })
    })
  }
})

describe('template validator', () => {
  const good = readTemplateFolder(TEMPLATES_DIR, 'stakeholder-analysis')
  if (!good.ok) throw new Error(good.error)

  function broken(change: (folder: TemplateFolder) => void): string {
    const folder = structuredClone(good.ok ? good.value : ({} as TemplateFolder))
    change(folder)
    const result = validateTemplateFolder(folder)
    expect(result.ok).toBe(false)
    return result.ok ? '' : result.error
  }
  const frames = (folder: TemplateFolder) => (folder.template as { frames: Record<string, unknown>[] }).frames
  const items = (folder: TemplateFolder, i: number) => frames(folder)[i].items as Record<string, unknown>[]

  it('accepts the real template', () => {
    expect(validateTemplateFolder(good.value).ok).toBe(true)
  })

  it('names the file and the field of a missing field', () => {
    expect(broken((f) => delete frames(f)[1].heading)).toBe('templates/stakeholder-analysis/template.json: frames[1].heading: missing')
  })

  it('names the file and the field of a wrong type', () => {
    expect(broken((f) => (items(f, 0)[2].w = '640'))).toBe('templates/stakeholder-analysis/template.json: frames[0].items[2].w: expected a number')
    expect(broken((f) => ((f.template as Record<string, unknown>).frames = {}))).toBe('templates/stakeholder-analysis/template.json: frames: expected an array')
    expect(broken((f) => (items(f, 1)[0].kind = 'sticker'))).toMatch(/template\.json: frames\[1\]\.items\[0\]\.kind: expected "prompt", "area", "example" or "widget"/)
  })

  it('names the file and the key of an unknown text key', () => {
    expect(broken((f) => (items(f, 0)[0].text = 'grid.introduction'))).toBe(
      'templates/stakeholder-analysis/texts.en.json: grid.introduction: missing (used by templates/stakeholder-analysis/template.json frames[0].items[0].text)',
    )
  })

  it('names the language file that lacks a key, and one with a stray key', () => {
    expect(broken((f) => delete (f.textsFiles.nl.json as Record<string, string>)['participation.coDecide.prompt'])).toMatch(
      /^templates\/stakeholder-analysis\/texts\.nl\.json: participation\.coDecide\.prompt: missing/,
    )
    expect(broken((f) => ((f.textsFiles.es.json as Record<string, string>)['grid.old'] = 'viejo'))).toBe(
      'templates/stakeholder-analysis/texts.es.json: grid.old: not used by the template (stray key)',
    )
    expect(broken((f) => ((f.textsFiles.es.json as Record<string, unknown>).name = 3))).toBe(
      'templates/stakeholder-analysis/texts.es.json: name: expected a non-empty string',
    )
  })

  it('refuses overlapping frames, items outside their frame, unknown colours and a wrong id', () => {
    expect(broken((f) => (frames(f)[1].x = 1000))).toMatch(/template\.json: frames\[1\]: overlaps frames\[0\]/)
    expect(broken((f) => (items(f, 0)[2].x = 1300))).toMatch(/template\.json: frames\[0\]\.items\[2\]: must lie inside the frame/)
    expect(broken((f) => (frames(f)[0].color = 'pink'))).toMatch(/template\.json: frames\[0\]\.color: "pink" is not a tldraw colour/)
    expect(broken((f) => ((f.template as Record<string, unknown>).id = 'other'))).toMatch(/template\.json: id: "other" must equal the folder name/)
    expect(broken((f) => ((f.template as Record<string, unknown>).extra = 1))).toBe('templates/stakeholder-analysis/template.json: extra: unknown field')
    expect(broken((f) => (items(f, 0)[2].shape = 'circle'))).toBe(
      'templates/stakeholder-analysis/template.json: frames[0].items[2].shape: expected "rectangle" or "ellipse"',
    )
    expect(broken((f) => delete items(f, 0)[2].label)).toBe(
      'templates/stakeholder-analysis/template.json: frames[0].items[2].prompt: an area with a prompt needs a label',
    )
  })
})

describe('widget items (our own shapes in a template)', () => {
  // A stand-in custom shape, registered for these tests only.
  const TYPE = 'test-widget'
  const good = readTemplateFolder(TEMPLATES_DIR, 'stakeholder-analysis')
  if (!good.ok) throw new Error(good.error)
  const withWidget = (widget: Record<string, unknown>, texts: Record<string, string> = {}): TemplateFolder => {
    const folder = structuredClone(good.value)
    const frame = (folder.template as { frames: { items: unknown[] }[] }).frames[0]
    frame.items.push(widget)
    for (const language of LANGUAGES) Object.assign(folder.textsFiles[language].json as Record<string, string>, texts)
    return folder
  }
  beforeAll(() => {
    CUSTOM_SHAPES[TYPE] = { props: { w: T.number, h: T.number, title: T.string, axes: T.number }, defaultProps: () => ({ w: 100, h: 100, title: '', axes: 8 }) }
  })
  afterAll(() => {
    delete CUSTOM_SHAPES[TYPE]
  })

  it('instantiates a widget on the page over its frame, with its texts in the board language', () => {
    const folder = withWidget(
      { kind: 'widget', shape: TYPE, x: 40, y: 700, w: 300, h: 200, props: { axes: 5 }, texts: { title: 'widget.title' } },
      { 'widget.title': 'Title' },
    )
    ;(folder.textsFiles.es.json as Record<string, string>)['widget.title'] = 'Título'
    const loaded = validateTemplateFolder(folder)
    if (!loaded.ok) throw new Error(loaded.error)
    const records = instantiateTemplate(loaded.value.definition, loaded.value.texts.es, 'es', { x: 1000, y: 0 }) as unknown as Shape[]
    const widget = records.find((r) => r.type === TYPE)!
    const frame = records.find((r) => r.type === 'frame' && r.meta.templateFrame === widget.meta.templateFrame)!
    expect(widget).toMatchObject({ parentId: 'page:page', isLocked: false, x: frame.x + 40, y: frame.y + 700 })
    expect(widget.props).toEqual({ w: 300, h: 200, title: 'Título', axes: 5 })
    expect(() => createBoardSchema().types.shape.validate(widget)).not.toThrow()
  })

  it('names the file and field of an unknown shape, a wrong prop and a missing text', () => {
    const error = (folder: TemplateFolder) => {
      const result = validateTemplateFolder(folder)
      return result.ok ? '' : result.error
    }
    expect(error(withWidget({ kind: 'widget', shape: 'rocket', x: 40, y: 700, w: 300, h: 200 }))).toMatch(
      /^templates\/stakeholder-analysis\/template\.json: frames\[0\]\.items\[\d+\]\.shape: "rocket" is not one of our shapes/,
    )
    expect(error(withWidget({ kind: 'widget', shape: TYPE, x: 40, y: 700, w: 300, h: 200, props: { axes: 'eight' } }))).toMatch(
      /^templates\/stakeholder-analysis\/template\.json: frames\[0\]\.items\[\d+\]\.props: .*axes/,
    )
    expect(error(withWidget({ kind: 'widget', shape: TYPE, x: 40, y: 700, w: 300, h: 200, texts: { title: 'widget.title' } }))).toMatch(
      /^templates\/stakeholder-analysis\/texts\.en\.json: widget\.title: missing \(used by .*items\[\d+\]\.texts\.title\)/,
    )
    expect(error(withWidget({ kind: 'widget', shape: TYPE, x: 40, y: 700, w: 300, h: 200, locked: 'yes' }))).toMatch(/\.locked: expected true or false/)
  })
})

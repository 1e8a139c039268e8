/**
 * Board templates: the ONE validator for a template folder on disk
 * (`templates/<id>/template.json` + `texts.<lang>.json`) and the function that
 * turns a validated template into tldraw records in a board's language.
 * The format is documented in docs/templates.md. Server (start-up, seeding) and
 * tests use this; the editor never special-cases a template.
 */
import { DefaultColorStyle, type TLDefaultColorStyle } from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import { createBoardSchema, CUSTOM_SHAPES } from './boardSchema'
import type { PlainRecord } from './documentLayout'
import { LANGUAGES, type Language } from './languages'
import { err, ok, type Result } from './result'
import { templatePreview, type TemplatePreview } from './templatePreview'

/** Version of the template.json format this code reads. */
export const TEMPLATE_FORMAT_VERSION = 1

/** Text keys every template's texts files must hold (besides the keys its layout references). */
export const REQUIRED_TEXT_KEYS = ['name', 'purpose', 'timeNeeded', 'groupSize', 'card.goal', 'card.steps'] as const

/** A tldraw colour name (`black`, `light-blue`, ...). */
export type TemplateColor = TLDefaultColorStyle

/** A locked line or paragraph of guidance inside a frame. */
export interface TemplatePrompt {
  kind: 'prompt'
  /** Text key. */
  text: string
  x: number
  y: number
  w: number
  size: 's' | 'm' | 'l'
}

/** A locked rectangle where participants put their notes, with a label and an optional prompt. */
export interface TemplateArea {
  kind: 'area'
  x: number
  y: number
  w: number
  h: number
  /** Text key of the area's title; an area without one is an empty cell (e.g. in a grid with row headers). */
  label?: string
  /** Text key of the question shown under the title. */
  prompt?: string
  color: TemplateColor
  /** Outline; an ellipse's text is centred at its top (for rings). Default rectangle. */
  shape?: 'rectangle' | 'ellipse'
}

/** A sample sticky note, shown with an "Example" prefix and left unlocked so it can be moved or deleted. */
export interface TemplateExample {
  kind: 'example'
  /** Text key. */
  text: string
  x: number
  y: number
  color: TemplateColor
}

/**
 * One of our custom shapes (participation radar, SDG circle ...), placed over
 * its frame. Its props are the shape's defaults, then w/h, then `props`, then
 * each prop named in `texts` set to that text in the board's language.
 */
export interface TemplateWidget {
  kind: 'widget'
  /** A type registered in CUSTOM_SHAPES (shared/boardSchema.ts). */
  shape: string
  x: number
  y: number
  w: number
  h: number
  props?: Record<string, unknown>
  /** Prop name -> text key. */
  texts?: Record<string, string>
  /** Locked widgets are backgrounds to put notes on; unlocked ones are used on the board (scored, edited). Default false. */
  locked?: boolean
}

export type TemplateItem = TemplatePrompt | TemplateArea | TemplateExample | TemplateWidget

/** One locked frame; item positions are relative to its top-left corner. */
export interface TemplateFrame {
  key: string
  x: number
  y: number
  w: number
  h: number
  /** Text key of the heading (frame name and big title inside). */
  heading: string
  /** Colour of the locked background. */
  color: TemplateColor
  items: TemplateItem[]
}

/** Where the "how to use" card goes, relative to the template's origin. */
export interface TemplateCardBox {
  x: number
  y: number
  w: number
  h: number
}

/** A validated template.json. */
export interface TemplateDefinition {
  formatVersion: 1
  id: string
  /** Place in the list offered to people (lower first). */
  order: number
  frames: TemplateFrame[]
  card: TemplateCardBox
}

/** A validated texts.<lang>.json: text key -> text. */
export type TemplateTexts = Record<string, string>

/** A template with its texts in every language. */
export interface LoadedTemplate {
  definition: TemplateDefinition
  texts: Record<Language, TemplateTexts>
}

/** The raw content of one template folder, as parsed JSON (not trusted yet). */
export interface TemplateFolder {
  /** Folder name; must equal the template's id. */
  folder: string
  /** Path shown in error messages for template.json, e.g. `templates/focus-sharpener/template.json`. */
  templateFile: string
  template: unknown
  textsFiles: Record<Language, { file: string; json: unknown }>
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const KEY_PATTERN = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/
/** Largest coordinate accepted, so a typo (an extra zero) is caught instead of flinging a frame away. */
const MAX_COORD = 20_000
/** Room at the top of each frame for the heading. */
export const HEADING_BAND = 100
/** Size of a tldraw note at scale 1. */
export const NOTE_SIZE = 200

const COLORS: readonly string[] = DefaultColorStyle.values

/** Thrown only inside this module to unwind a validation; turned into a Result before leaving it. */
class TemplateError extends Error {}

type Json = Record<string, unknown>

function fail(file: string, field: string, problem: string): never {
  throw new TemplateError(`${file}: ${field}: ${problem}`)
}

function object(value: unknown, file: string, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, field, 'expected an object')
  return value as Json
}

function noExtra(value: Json, allowed: string[], file: string, field: string): void {
  const extra = Object.keys(value).find((key) => !allowed.includes(key))
  if (extra !== undefined) fail(file, field ? `${field}.${extra}` : extra, 'unknown field')
}

function sub(field: string, key: string): string {
  return field ? `${field}.${key}` : key
}

function string(value: Json, key: string, file: string, field: string, pattern?: RegExp): string {
  const v = value[key]
  if (v === undefined) fail(file, sub(field, key), 'missing')
  if (typeof v !== 'string' || v.trim() === '') fail(file, sub(field, key), 'expected a non-empty string')
  if (pattern && !pattern.test(v)) fail(file, sub(field, key), `"${v}" does not match ${pattern}`)
  return v
}

function number(value: Json, key: string, file: string, field: string, positive = false): number {
  const v = value[key]
  if (v === undefined) fail(file, sub(field, key), 'missing')
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(file, sub(field, key), 'expected a number')
  if (Math.abs(v) > MAX_COORD) fail(file, sub(field, key), `must be between -${MAX_COORD} and ${MAX_COORD}`)
  if (positive && v <= 0) fail(file, sub(field, key), 'must be greater than 0')
  return v
}

function color(value: Json, key: string, file: string, field: string): TemplateColor {
  const v = string(value, key, file, field)
  if (!COLORS.includes(v)) fail(file, sub(field, key), `"${v}" is not a tldraw colour (${COLORS.join(', ')})`)
  return v as TemplateColor
}

function parseItem(raw: unknown, file: string, field: string): TemplateItem {
  const value = object(raw, file, field)
  const kind = string(value, 'kind', file, field)
  if (kind === 'prompt') {
    noExtra(value, ['kind', 'text', 'x', 'y', 'w', 'size'], file, field)
    const size = value.size === undefined ? 'm' : string(value, 'size', file, field)
    if (size !== 's' && size !== 'm' && size !== 'l') fail(file, sub(field, 'size'), 'expected "s", "m" or "l"')
    return {
      kind,
      text: string(value, 'text', file, field, KEY_PATTERN),
      x: number(value, 'x', file, field),
      y: number(value, 'y', file, field),
      w: number(value, 'w', file, field, true),
      size,
    }
  }
  if (kind === 'area') {
    noExtra(value, ['kind', 'x', 'y', 'w', 'h', 'label', 'prompt', 'color', 'shape'], file, field)
    const area: TemplateArea = {
      kind,
      x: number(value, 'x', file, field),
      y: number(value, 'y', file, field),
      w: number(value, 'w', file, field, true),
      h: number(value, 'h', file, field, true),
      color: color(value, 'color', file, field),
    }
    if (value.shape !== undefined) {
      const outline = string(value, 'shape', file, field)
      if (outline !== 'rectangle' && outline !== 'ellipse') fail(file, sub(field, 'shape'), 'expected "rectangle" or "ellipse"')
      area.shape = outline
    }
    if (value.label !== undefined) area.label = string(value, 'label', file, field, KEY_PATTERN)
    if (value.prompt !== undefined) {
      if (area.label === undefined) fail(file, sub(field, 'prompt'), 'an area with a prompt needs a label')
      area.prompt = string(value, 'prompt', file, field, KEY_PATTERN)
    }
    return area
  }
  if (kind === 'example') {
    noExtra(value, ['kind', 'text', 'x', 'y', 'color'], file, field)
    return {
      kind,
      text: string(value, 'text', file, field, KEY_PATTERN),
      x: number(value, 'x', file, field),
      y: number(value, 'y', file, field),
      color: color(value, 'color', file, field),
    }
  }
  if (kind === 'widget') {
    noExtra(value, ['kind', 'shape', 'x', 'y', 'w', 'h', 'props', 'texts', 'locked'], file, field)
    const shape = string(value, 'shape', file, field)
    if (!Object.hasOwn(CUSTOM_SHAPES, shape)) {
      fail(file, sub(field, 'shape'), `"${shape}" is not one of our shapes (${Object.keys(CUSTOM_SHAPES).join(', ') || 'none registered'})`)
    }
    const widget: TemplateWidget = {
      kind,
      shape,
      x: number(value, 'x', file, field),
      y: number(value, 'y', file, field),
      w: number(value, 'w', file, field, true),
      h: number(value, 'h', file, field, true),
    }
    if (value.props !== undefined) widget.props = object(value.props, file, sub(field, 'props'))
    if (value.texts !== undefined) {
      const texts = object(value.texts, file, sub(field, 'texts'))
      widget.texts = {}
      for (const prop of Object.keys(texts)) widget.texts[prop] = string(texts, prop, file, sub(field, 'texts'), KEY_PATTERN)
    }
    if (value.locked !== undefined) {
      if (typeof value.locked !== 'boolean') fail(file, sub(field, 'locked'), 'expected true or false')
      widget.locked = value.locked
    }
    return widget
  }
  return fail(file, sub(field, 'kind'), `expected "prompt", "area", "example" or "widget", got ${JSON.stringify(kind)}`)
}

/** The size an item takes inside its frame (prompts: their width and one line of height). */
function itemBox(item: TemplateItem): { x: number; y: number; w: number; h: number } {
  if (item.kind === 'area' || item.kind === 'widget') return item
  if (item.kind === 'example') return { x: item.x, y: item.y, w: NOTE_SIZE, h: NOTE_SIZE }
  return { x: item.x, y: item.y, w: item.w, h: 1 }
}

interface Box {
  x: number
  y: number
  w: number
  h: number
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

function parseFrame(raw: unknown, file: string, field: string): TemplateFrame {
  const value = object(raw, file, field)
  noExtra(value, ['key', 'x', 'y', 'w', 'h', 'heading', 'color', 'items'], file, field)
  const frame = {
    key: string(value, 'key', file, field, KEY_PATTERN),
    x: number(value, 'x', file, field),
    y: number(value, 'y', file, field),
    w: number(value, 'w', file, field, true),
    h: number(value, 'h', file, field, true),
    heading: string(value, 'heading', file, field, KEY_PATTERN),
    color: color(value, 'color', file, field),
  }
  if (!Array.isArray(value.items)) fail(file, sub(field, 'items'), value.items === undefined ? 'missing' : 'expected an array')
  const items = value.items.map((item, i) => parseItem(item, file, `${field}.items[${i}]`))
  items.forEach((item, i) => {
    const box = itemBox(item)
    if (box.x < 0 || box.y < HEADING_BAND || box.x + box.w > frame.w || box.y + box.h > frame.h) {
      fail(file, `${field}.items[${i}]`, `must lie inside the frame below its heading (x ≥ 0, y ≥ ${HEADING_BAND}, right ≤ ${frame.w}, bottom ≤ ${frame.h})`)
    }
  })
  return { ...frame, items }
}

function parseDefinition(raw: unknown, file: string): TemplateDefinition {
  const value = object(raw, file, '(top level)')
  noExtra(value, ['formatVersion', 'id', 'order', 'frames', 'card'], file, '')
  if (value.formatVersion !== TEMPLATE_FORMAT_VERSION) fail(file, 'formatVersion', `expected ${TEMPLATE_FORMAT_VERSION}`)
  const id = string(value, 'id', file, '', ID_PATTERN)
  const order = number(value, 'order', file, '')
  if (!Array.isArray(value.frames)) fail(file, 'frames', value.frames === undefined ? 'missing' : 'expected an array')
  if (value.frames.length === 0) fail(file, 'frames', 'needs at least one frame')
  const frames = value.frames.map((frame, i) => parseFrame(frame, file, `frames[${i}]`))
  const cardValue = object(value.card, file, 'card')
  noExtra(cardValue, ['x', 'y', 'w', 'h'], file, 'card')
  const card = {
    x: number(cardValue, 'x', file, 'card'),
    y: number(cardValue, 'y', file, 'card'),
    w: number(cardValue, 'w', file, 'card', true),
    h: number(cardValue, 'h', file, 'card', true),
  }
  const seen = new Set<string>()
  frames.forEach((frame, i) => {
    if (seen.has(frame.key)) fail(file, `frames[${i}].key`, `"${frame.key}" is used twice`)
    seen.add(frame.key)
    frames.slice(0, i).forEach((other, j) => {
      if (overlaps(frame, other)) fail(file, `frames[${i}]`, `overlaps frames[${j}] ("${other.key}")`)
    })
    if (overlaps(frame, card)) fail(file, 'card', `overlaps frames[${i}] ("${frame.key}")`)
  })
  return { formatVersion: 1, id, order, frames, card }
}

function parseTexts(raw: unknown, file: string): TemplateTexts {
  const value = object(raw, file, '(top level)')
  const texts: TemplateTexts = {}
  for (const key of Object.keys(value)) {
    if (!KEY_PATTERN.test(key)) fail(file, key, `is not a valid text key`)
    texts[key] = string(value, key, file, '')
  }
  return texts
}

/** Every text key a template uses: the required ones plus those its layout references. */
export function templateTextKeys(definition: TemplateDefinition): Set<string> {
  const keys = new Set<string>(REQUIRED_TEXT_KEYS)
  for (const frame of definition.frames) {
    keys.add(frame.heading)
    for (const item of frame.items) {
      if (item.kind === 'area') {
        if (item.label) keys.add(item.label)
        if (item.prompt) keys.add(item.prompt)
      } else if (item.kind === 'widget') {
        for (const key of Object.values(item.texts ?? {})) keys.add(key)
      } else keys.add(item.text)
    }
  }
  return keys
}

function referencedKeyFields(definition: TemplateDefinition): Map<string, string> {
  const fields = new Map<string, string>()
  definition.frames.forEach((frame, i) => {
    fields.set(frame.heading, `frames[${i}].heading`)
    frame.items.forEach((item, j) => {
      const at = `frames[${i}].items[${j}]`
      if (item.kind === 'area') {
        if (item.label && !fields.has(item.label)) fields.set(item.label, `${at}.label`)
        if (item.prompt && !fields.has(item.prompt)) fields.set(item.prompt, `${at}.prompt`)
      } else if (item.kind === 'widget') {
        for (const [prop, key] of Object.entries(item.texts ?? {})) if (!fields.has(key)) fields.set(key, `${at}.texts.${prop}`)
      } else if (!fields.has(item.text)) fields.set(item.text, `${at}.text`)
    })
  })
  return fields
}

/**
 * Validates one template folder: the layout, every texts file, that every key
 * the layout uses exists in every language and that no language has a stray
 * key. Errors name the file and the field, e.g.
 * `templates/focus-sharpener/template.json: frames[1].items[0].w: expected a number`.
 */
export function validateTemplateFolder(folder: TemplateFolder): Result<LoadedTemplate, string> {
  try {
    const definition = parseDefinition(folder.template, folder.templateFile)
    if (definition.id !== folder.folder) fail(folder.templateFile, 'id', `"${definition.id}" must equal the folder name "${folder.folder}"`)
    const keys = templateTextKeys(definition)
    const keyFields = referencedKeyFields(definition)
    const texts = {} as Record<Language, TemplateTexts>
    for (const language of LANGUAGES) {
      const { file, json } = folder.textsFiles[language]
      const parsed = parseTexts(json, file)
      for (const key of keys) {
        if (parsed[key] !== undefined) continue
        const usedAt = keyFields.get(key)
        fail(file, key, usedAt ? `missing (used by ${folder.templateFile} ${usedAt})` : 'missing (every template needs it)')
      }
      for (const key of Object.keys(parsed)) if (!keys.has(key)) fail(file, key, 'not used by the template (stray key)')
      texts[language] = parsed
      validateWidgets(definition, parsed, folder.templateFile)
    }
    return ok({ definition, texts })
  } catch (error) {
    if (error instanceof TemplateError) return err(error.message)
    throw error
  }
}

/** Every widget, with its texts in one language, must make a record the board schema accepts. */
function validateWidgets(definition: TemplateDefinition, texts: TemplateTexts, file: string): void {
  let boardSchema: ReturnType<typeof createBoardSchema> | undefined
  definition.frames.forEach((frame, i) => {
    frame.items.forEach((item, j) => {
      if (item.kind !== 'widget') return
      const record = { ...shapeRecordBase('shape:check', 'page:page', 'a1' as IndexKey, 0, 0, item.shape, widgetProps(item, (key) => texts[key] ?? ''), false), meta: {} }
      try {
        boardSchema ??= createBoardSchema()
        boardSchema.types.shape.validate(record)
      } catch (error) {
        fail(file, `frames[${i}].items[${j}].props`, error instanceof Error ? error.message : String(error))
      }
    })
  })
}

// ---------------------------------------------------------------------------
// Instantiation

/** A widget's props: the shape's defaults, its size, the template's props, then its texts. */
function widgetProps(item: TemplateWidget, text: (key: string) => string): Record<string, unknown> {
  const props: Record<string, unknown> = { ...CUSTOM_SHAPES[item.shape]!.defaultProps(), w: item.w, h: item.h, ...item.props }
  for (const [prop, key] of Object.entries(item.texts ?? {})) props[prop] = text(key)
  return props
}

function shapeRecordBase(id: string, parentId: string, index: IndexKey, x: number, y: number, type: string, props: Record<string, unknown>, isLocked: boolean) {
  return { typeName: 'shape', id, type, parentId, index, x, y, rotation: 0, isLocked, opacity: 1, props }
}

/** Words the instantiated card and examples need that are not specific to one template. */
export const TEMPLATE_CHROME: Record<Language, { howToUse: string; goal: string; steps: string; timeNeeded: string; groupSize: string; example: string }> = {
  en: { howToUse: 'How to use this canvas', goal: 'Goal', steps: 'Steps', timeNeeded: 'Time needed', groupSize: 'Group size', example: 'Example' },
  nl: { howToUse: 'Zo gebruik je dit canvas', goal: 'Doel', steps: 'Stappen', timeNeeded: 'Benodigde tijd', groupSize: 'Groepsgrootte', example: 'Voorbeeld' },
  es: { howToUse: 'Cómo usar este lienzo', goal: 'Objetivo', steps: 'Pasos', timeNeeded: 'Tiempo necesario', groupSize: 'Tamaño del grupo', example: 'Ejemplo' },
}

type RichTextNode = { type: string; text?: string; marks?: { type: string }[]; content?: RichTextNode[] }
type RichText = { type: 'doc'; content: RichTextNode[] }

function paragraph(text: string, bold = false): RichTextNode {
  if (text === '') return { type: 'paragraph' }
  return { type: 'paragraph', content: [bold ? { type: 'text', text, marks: [{ type: 'bold' }] } : { type: 'text', text }] }
}

/** Plain text to tldraw rich text: one paragraph per line. */
function richText(text: string, boldFirstLine = false): RichText {
  return { type: 'doc', content: text.split('\n').map((line, i) => paragraph(line, boldFirstLine && i === 0)) }
}

/** Options for instantiateTemplate. */
export interface InstantiateOptions {
  /** Parent of the frames and the card. */
  pageId?: string
  /** Index to place the first top-level shape above (e.g. the page's current top index). */
  indexAbove?: IndexKey | null
  /** Makes shape ids unique per instantiation; a random one by default. */
  nonce?: string
}

function randomNonce(): string {
  return Math.random().toString(36).slice(2, 10)
}

/**
 * The tldraw records (shapes only) for `template` in `language`, placed with
 * its origin at `origin`: locked frames with a locked background, heading,
 * prompts and areas inside; unlocked example notes; a locked "how to use"
 * card beside the frames. Same geometry in every language.
 */
export function instantiateTemplate(
  template: TemplateDefinition,
  texts: TemplateTexts,
  language: Language,
  origin: { x: number; y: number },
  options: InstantiateOptions = {},
): PlainRecord[] {
  const pageId = options.pageId ?? 'page:page'
  const nonce = options.nonce ?? randomNonce()
  const chrome = TEMPLATE_CHROME[language]
  const text = (key: string): string => {
    const value = texts[key]
    if (value === undefined) throw new Error(`template ${template.id}: text key "${key}" missing for ${language}`)
    return value
  }
  const records: PlainRecord[] = []
  const shape = (
    id: string,
    parentId: string,
    index: IndexKey,
    x: number,
    y: number,
    type: string,
    props: Record<string, unknown>,
    isLocked: boolean,
    meta: Record<string, unknown>,
  ): string => {
    const record: PlainRecord = {
      ...shapeRecordBase(`shape:${template.id}-${nonce}-${id}`, parentId, index, x, y, type, props, isLocked),
      meta: { template: template.id, ...meta },
    }
    records.push(record)
    return record.id
  }
  const geo = (w: number, h: number, colorName: TemplateColor, fill: string, dash: string, label: RichText, size: string, outline: 'rectangle' | 'ellipse' = 'rectangle') => ({
    geo: outline,
    dash,
    url: '',
    w,
    h,
    growY: 0,
    scale: 1,
    flipX: false,
    flipY: false,
    labelColor: 'black',
    color: colorName,
    fill,
    size,
    font: 'sans',
    align: outline === 'ellipse' ? 'middle' : 'start',
    verticalAlign: 'start',
    richText: label,
  })
  const textProps = (value: string, w: number, size: string, boldFirstLine = false) => ({
    color: 'black',
    size,
    font: 'sans',
    textAlign: 'start',
    w,
    richText: richText(value, boldFirstLine),
    scale: 1,
    autoSize: false,
  })

  let pageIndex: IndexKey = getIndexAbove(options.indexAbove ?? null)
  for (const frame of template.frames) {
    const frameId = shape(
      frame.key,
      pageId,
      pageIndex,
      origin.x + frame.x,
      origin.y + frame.y,
      'frame',
      { w: frame.w, h: frame.h, name: text(frame.heading), color: 'black' },
      true,
      { templateFrame: frame.key },
    )
    pageIndex = getIndexAbove(pageIndex)
    let index: IndexKey = getIndexAbove(null)
    const next = () => {
      const current = index
      index = getIndexAbove(index)
      return current
    }
    shape(`${frame.key}-background`, frameId, next(), 0, 0, 'geo', geo(frame.w, frame.h, frame.color, 'semi', 'solid', richText(''), 's'), true, {})
    shape(`${frame.key}-heading`, frameId, next(), 40, 30, 'text', textProps(text(frame.heading), frame.w - 80, 'l'), true, {})
    frame.items.forEach((item, i) => {
      const key = `${frame.key}-${i}`
      if (item.kind === 'prompt') {
        shape(key, frameId, next(), item.x, item.y, 'text', textProps(text(item.text), item.w, item.size), true, {})
      } else if (item.kind === 'area') {
        const label = [item.label, item.prompt].flatMap((key) => (key ? [text(key)] : [])).join('\n')
        shape(key, frameId, next(), item.x, item.y, 'geo', geo(item.w, item.h, item.color, 'solid', 'dashed', richText(label, true), 's', item.shape), true, {})
      }
    })
  }

  // Widgets and examples hang off the page, not the frame, placed over the area they belong to:
  // tldraw treats the children of a locked frame as locked, and a radar must be scored, an example
  // moved or deleted. Widgets first, so notes and examples lie above them.
  for (const frame of template.frames) {
    frame.items.forEach((item, i) => {
      if (item.kind !== 'widget') return
      shape(
        `${frame.key}-${i}`,
        pageId,
        pageIndex,
        origin.x + frame.x + item.x,
        origin.y + frame.y + item.y,
        item.shape,
        widgetProps(item, text),
        item.locked ?? false,
        { templateFrame: frame.key },
      )
      pageIndex = getIndexAbove(pageIndex)
    })
  }
  for (const frame of template.frames) {
    frame.items.forEach((item, i) => {
      if (item.kind !== 'example') return
      shape(
        `${frame.key}-${i}`,
        pageId,
        pageIndex,
        origin.x + frame.x + item.x,
        origin.y + frame.y + item.y,
        'note',
        {
          color: item.color,
          labelColor: 'black',
          size: 's',
          font: 'sans',
          fontSizeAdjustment: 1, // a multiplier of the font size; 0 renders invisible text
          align: 'middle',
          verticalAlign: 'middle',
          growY: 0,
          url: '',
          richText: richText(`${chrome.example}:\n${text(item.text)}`, true),
          scale: 1,
          textLastEditedBy: null,
        },
        false,
        { templateExample: true, templateFrame: frame.key },
      )
      pageIndex = getIndexAbove(pageIndex)
    })
  }

  const steps = text('card.steps')
    .split('\n')
    .map((step, i) => `${i + 1}. ${step}`)
  const card: RichTextNode[] = [
    paragraph(`${chrome.howToUse}: ${text('name')}`, true),
    paragraph(''),
    paragraph(chrome.goal, true),
    ...richText(text('card.goal')).content,
    paragraph(''),
    paragraph(chrome.steps, true),
    ...steps.map((step) => paragraph(step)),
    paragraph(''),
    paragraph(`${chrome.timeNeeded}: ${text('timeNeeded')}`),
    paragraph(`${chrome.groupSize}: ${text('groupSize')}`),
  ]
  const box = template.card
  shape('card', pageId, pageIndex, origin.x + box.x, origin.y + box.y, 'geo', geo(box.w, box.h, 'light-violet', 'semi', 'solid', { type: 'doc', content: card }, 's'), true, { templateCard: true })
  return records
}

/** What the template list says about one template in one language. */
export interface TemplateSummaryTexts {
  name: string
  purpose: string
  timeNeeded: string
  groupSize: string
}

/** One entry of `GET /api/templates`. */
export interface TemplateSummary {
  id: string
  texts: Record<Language, TemplateSummaryTexts>
  /** The layout's miniature for the gallery. */
  preview: TemplatePreview
}

/** The list entry for a loaded template. */
export function summarizeTemplate({ definition, texts }: LoadedTemplate): TemplateSummary {
  const pick = (t: TemplateTexts): TemplateSummaryTexts => ({ name: t.name, purpose: t.purpose, timeNeeded: t.timeNeeded, groupSize: t.groupSize })
  return { id: definition.id, texts: { en: pick(texts.en), nl: pick(texts.nl), es: pick(texts.es) }, preview: templatePreview(definition) }
}

/**
 * A template's miniature: the boxes of its layout (frames, headings, prompts,
 * areas, widgets, example notes, the "how to use" card) in the colours tldraw
 * draws them with. Computed from the template itself by the server and sent
 * with the template list, so a preview is always true to the template and no
 * picture has to be kept up to date. The client draws it as SVG
 * (client/src/templates/TemplatePreview.tsx).
 *
 * Only type imports from templates.ts: the home page reads this without
 * loading tldraw.
 */
import type { TemplateColor, TemplateDefinition } from './templates'

/** What a box in the miniature stands for. */
export type PreviewBoxKind = 'frame' | 'heading' | 'prompt' | 'area' | 'widget' | 'example' | 'card'

const KINDS: readonly PreviewBoxKind[] = ['frame', 'heading', 'prompt', 'area', 'widget', 'example', 'card']

/** One rectangle (or ellipse) of the miniature, in board units from the template's top-left corner. */
export interface PreviewBox {
  kind: PreviewBoxKind
  x: number
  y: number
  w: number
  h: number
  /** tldraw colour name. */
  color: TemplateColor
  /** Drawn as an ellipse (ring areas). */
  ellipse?: boolean
}

/** The whole miniature: its size and its boxes, back to front. */
export interface TemplatePreview {
  w: number
  h: number
  boxes: PreviewBox[]
}

/**
 * tldraw's light-theme colours (DEFAULT_THEME.colors.light) for the parts a
 * template uses: `solid` outlines, `semi` the fill of an area (fill "solid"),
 * `note` a sticky note. A test keeps them equal to tldraw's.
 */
export const PREVIEW_PALETTE: Record<TemplateColor, { solid: string; semi: string; note: string }> = {
  black: { solid: '#1d1d1d', semi: '#e8e8e8', note: '#FCE19C' },
  blue: { solid: '#4465e9', semi: '#dce1f8', note: '#8AA3FF' },
  green: { solid: '#099268', semi: '#d3e9e3', note: '#6FC896' },
  grey: { solid: '#9fa8b2', semi: '#eceef0', note: '#C0CAD3' },
  'light-blue': { solid: '#4ba1f1', semi: '#ddedfa', note: '#9BC4FD' },
  'light-green': { solid: '#4cb05e', semi: '#dbf0e0', note: '#98D08A' },
  'light-red': { solid: '#f87777', semi: '#f4dadb', note: '#F7A5A1' },
  'light-violet': { solid: '#e085f4', semi: '#f5eafa', note: '#DFB0F9' },
  orange: { solid: '#e16919', semi: '#f8e2d4', note: '#FAA475' },
  red: { solid: '#e03131', semi: '#f4dadb', note: '#FC8282' },
  violet: { solid: '#ae3ec9', semi: '#ecdcf2', note: '#DB91FD' },
  yellow: { solid: '#f1ac4b', semi: '#f9f0e6', note: '#FED49A' },
  white: { solid: '#FFFFFF', semi: '#f5f5f5', note: '#FFFFFF' },
}

/** The fill tldraw gives a geo shape with fill "semi" (frame backgrounds, the card). */
export const PREVIEW_PAPER = '#fcfffe'

/** Height of one line of text at each prompt size, roughly as tldraw sets it. */
const LINE_HEIGHT = { s: 24, m: 32, l: 44 } as const
/** Size of a sticky note (as NOTE_SIZE in templates.ts). */
const NOTE = 200
/** Where instantiateTemplate puts a frame's heading. */
const HEADING = { x: 40, y: 30 }

/** The miniature of a template, in the order instantiateTemplate stacks its shapes. */
export function templatePreview(definition: TemplateDefinition): TemplatePreview {
  const raw: PreviewBox[] = []
  const over: PreviewBox[] = []
  const notes: PreviewBox[] = []
  for (const frame of definition.frames) {
    raw.push({ kind: 'frame', x: frame.x, y: frame.y, w: frame.w, h: frame.h, color: frame.color })
    // A heading is shorter than its frame; half its width reads as a title at this scale.
    raw.push({ kind: 'heading', x: frame.x + HEADING.x, y: frame.y + HEADING.y, w: (frame.w - 2 * HEADING.x) / 2, h: LINE_HEIGHT.l, color: 'black' })
    for (const item of frame.items) {
      const x = frame.x + item.x
      const y = frame.y + item.y
      if (item.kind === 'prompt') raw.push({ kind: 'prompt', x, y, w: item.w, h: LINE_HEIGHT[item.size], color: 'grey' })
      else if (item.kind === 'area') {
        raw.push({ kind: 'area', x, y, w: item.w, h: item.h, color: item.color, ...(item.shape === 'ellipse' ? { ellipse: true } : {}) })
      } else if (item.kind === 'widget') over.push({ kind: 'widget', x, y, w: item.w, h: item.h, color: 'grey' })
      else notes.push({ kind: 'example', x, y, w: NOTE, h: NOTE, color: item.color })
    }
  }
  const { card } = definition
  const boxes = [...raw, ...over, ...notes, { kind: 'card' as const, x: card.x, y: card.y, w: card.w, h: card.h, color: 'light-violet' as const }]
  const left = Math.min(...boxes.map((b) => b.x))
  const top = Math.min(...boxes.map((b) => b.y))
  const right = Math.max(...boxes.map((b) => b.x + b.w))
  const bottom = Math.max(...boxes.map((b) => b.y + b.h))
  return {
    w: right - left,
    h: bottom - top,
    boxes: boxes.map((box) => ({ ...box, x: box.x - left, y: box.y - top })),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function parseBox(value: unknown): PreviewBox | undefined {
  if (!isRecord(value)) return undefined
  const { kind, x, y, w, h, color, ellipse } = value
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) return undefined
  if (!finite(x) || !finite(y) || !finite(w) || !finite(h) || w <= 0 || h <= 0) return undefined
  if (typeof color !== 'string' || !Object.hasOwn(PREVIEW_PALETTE, color)) return undefined
  const box: PreviewBox = { kind: kind as PreviewBoxKind, x, y, w, h, color: color as TemplateColor }
  if (ellipse === true) box.ellipse = true
  return box
}

/** Narrows a preview received over HTTP; anything malformed gives no preview rather than a broken one. */
export function parseTemplatePreview(value: unknown): TemplatePreview | undefined {
  if (!isRecord(value) || !finite(value.w) || !finite(value.h) || value.w <= 0 || value.h <= 0 || !Array.isArray(value.boxes)) return undefined
  const boxes = value.boxes.map(parseBox)
  if (boxes.length === 0 || boxes.some((box) => box === undefined)) return undefined
  return { w: value.w, h: value.h, boxes: boxes as PreviewBox[] }
}

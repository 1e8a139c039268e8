/**
 * Geometry of the SDG circle, as plain data: which coloured cells, labels and
 * rings to draw for a variant in a language. Pure, so it is unit-tested and the
 * same drawing serves the canvas and tldraw's SVG/PNG export.
 *
 * Drawn in a 2000 × 2000 box centred on (0, 0) (radius 1000), scaled to the
 * shape. Angles run clockwise from 12 o'clock. A gap at the top, where people
 * start reading, holds the names of the rings.
 */
import type { Language } from '../../../../shared/languages'
import { PILLARS, SDG_ABBREVIATION, SDGS } from '../../../../shared/sdgs'
import type { SdgCircleVariant } from '../../../../shared/sdgCircleShape'

/** Radius of the drawing. */
export const WHEEL_RADIUS = 1000
/** Width of the label gap at the top, in degrees. */
export const GAP_DEGREES = 30

/** Words the wheel writes besides the goals' and pillars' names (from the client's locale files). */
export interface WheelLabels {
  coreTheme: string
  positive: string
  negative: string
  internal: string
  local: string
  global: string
}

/** A filled annular sector. */
export interface WheelCell {
  key: string
  d: string
  fill: string
  opacity: number
  /** Goal number for goal cells and note cells of a goal. */
  sdg?: number
  kind: 'goal' | 'pillar' | 'band' | 'gap'
}

/** A block of text: `lines` centred on (x, y) after `rotate` degrees about the origin. */
export interface WheelText {
  key: string
  lines: string[]
  x: number
  y: number
  rotate: number
  anchor: 'start' | 'middle' | 'end'
  fontSize: number
  bold: boolean
  fill: string
  sdg?: number
  role: 'goal-number' | 'goal-name' | 'pillar' | 'band' | 'marker' | 'abbreviation' | 'caption'
  /** The room the text was fitted into (goal names): along its lines, and across them. */
  room?: { along: number; across: number }
}

/** Everything to draw. */
export interface WheelLayout {
  cells: WheelCell[]
  texts: WheelText[]
  /** Ring boundaries to outline (radii). */
  rings: number[]
  /** Radius of the white centre disc with the core theme. */
  discRadius: number
}

interface Band {
  key: string
  label: string
  from: number
  to: number
  opacity: number
  /** A sign written in every cell of the band. */
  marker?: string
}

interface Radii {
  disc: number
  pillar?: [number, number]
  goal: [number, number]
  bands: Band[]
}

function radii(variant: SdgCircleVariant, labels: WheelLabels): Radii {
  if (variant === 'levels') {
    return {
      disc: 240,
      goal: [240, 560],
      bands: [
        { key: 'internal', label: labels.internal, from: 560, to: 705, opacity: 0.3 },
        { key: 'local', label: labels.local, from: 705, to: 850, opacity: 0.19 },
        { key: 'global', label: labels.global, from: 850, to: 1000, opacity: 0.1 },
      ],
    }
  }
  const impact = (from: number, middle: number): Band[] => [
    { key: 'positive', label: `+ ${labels.positive}`, from, to: middle, opacity: 0.22, marker: '+' },
    { key: 'negative', label: `− ${labels.negative}`, from: middle, to: 1000, opacity: 0.1, marker: '−' },
  ]
  if (variant === 'pillars') return { disc: 200, pillar: [200, 300], goal: [300, 590], bands: impact(590, 795) }
  return { disc: 240, goal: [240, 560], bands: impact(560, 780) }
}

function point(r: number, degrees: number): [number, number] {
  const a = (degrees * Math.PI) / 180
  return [round(r * Math.sin(a)), round(-r * Math.cos(a))]
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

/** SVG path of the ring sector between radii r1 < r2 and angles a1 < a2 (degrees, clockwise from 12 o'clock). */
export function sectorPath(r1: number, r2: number, a1: number, a2: number): string {
  const large = a2 - a1 > 180 ? 1 : 0
  const [x1, y1] = point(r2, a1)
  const [x2, y2] = point(r2, a2)
  const [x3, y3] = point(r1, a2)
  const [x4, y4] = point(r1, a1)
  if (r1 <= 0) return `M 0 0 L ${x1} ${y1} A ${r2} ${r2} 0 ${large} 1 ${x2} ${y2} Z`
  return `M ${x1} ${y1} A ${r2} ${r2} 0 ${large} 1 ${x2} ${y2} L ${x3} ${y3} A ${r1} ${r1} 0 ${large} 0 ${x4} ${y4} Z`
}

/** Greedy word wrap at `maxChars` characters per line. */
export function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > maxChars) {
        lines.push(line)
        line = word
      } else line = line ? `${line} ${word}` : word
    }
    if (line) lines.push(line)
  }
  return lines
}

/** Average glyph width of tldraw's sans font as a share of its size (generous, so text stays inside). */
export const CHAR_WIDTH = 0.54

/** Line height as a share of the font size. */
export const LINE_HEIGHT = 1.15

/**
 * Text wrapped to `width`, shrinking the font until it fits: at most
 * `maxLines(size)` lines, and no line (not even one long word) wider than `width`.
 */
function fit(text: string, width: number, fontSize: number, maxLines: (size: number) => number): { lines: string[]; fontSize: number } {
  let size = fontSize
  for (let attempt = 0; ; attempt++) {
    const maxChars = Math.max(4, Math.floor(width / (size * CHAR_WIDTH)))
    const lines = wrap(text, maxChars)
    if (attempt >= 6 || (lines.length <= Math.max(1, maxLines(size)) && lines.every((line) => line.length <= maxChars))) return { lines, fontSize: size }
    size = Math.round(size * 0.88)
  }
}

/** The sectors around the wheel: one per goal, or one per pillar (goals subdividing it). */
interface Sector {
  key: string
  from: number
  to: number
  color: string
  sdg?: number
}

/** The layout of `variant` with names in `language`. */
export function layoutWheel(variant: SdgCircleVariant, language: Language, labels: WheelLabels): WheelLayout {
  const r = radii(variant, labels)
  const start = GAP_DEGREES / 2
  const span = 360 - GAP_DEGREES
  const cells: WheelCell[] = []
  const texts: WheelText[] = []

  // Goals in drawing order with their angles; pillars (if any) as the note sectors.
  const goals: { number: number; from: number; to: number }[] = []
  const noteSectors: Sector[] = []
  if (variant === 'pillars') {
    const each = span / PILLARS.length
    PILLARS.forEach((pillar, i) => {
      const from = start + i * each
      noteSectors.push({ key: pillar.id, from, to: from + each, color: pillar.color })
      const step = each / pillar.goals.length
      pillar.goals.forEach((number, j) => goals.push({ number, from: from + j * step, to: from + (j + 1) * step }))
      const [r1, r2] = r.pillar!
      cells.push({ key: `pillar-${pillar.id}`, d: sectorPath(r1, r2, from, from + each), fill: pillar.color, opacity: 1, kind: 'pillar' })
      const mid = from + each / 2
      const upright = mid > 90 && mid < 270
      texts.push({
        key: `pillar-${pillar.id}`,
        lines: [pillar.name[language]],
        x: 0,
        y: upright ? (r1 + r2) / 2 : -(r1 + r2) / 2,
        rotate: upright ? mid + 180 : mid,
        anchor: 'middle',
        fontSize: 34,
        bold: true,
        fill: '#FFFFFF',
        role: 'pillar',
      })
    })
  } else {
    const each = span / SDGS.length
    SDGS.forEach((goal, i) => {
      const from = start + i * each
      goals.push({ number: goal.number, from, to: from + each })
      noteSectors.push({ key: `sdg-${goal.number}`, from, to: from + each, color: goal.color, sdg: goal.number })
    })
  }

  // The goal ring: official colour, number and name, written along the radius and readable on both halves.
  const [g1, g2] = r.goal
  for (const { number, from, to } of goals) {
    const goal = SDGS[number - 1]
    cells.push({ key: `goal-${number}`, d: sectorPath(g1, g2, from, to), fill: goal.color, opacity: 1, sdg: number, kind: 'goal' })
    const mid = (from + to) / 2
    const leftHalf = mid > 180
    const rotate = leftHalf ? mid + 90 : mid - 90
    const sign = leftHalf ? -1 : 1
    const anchor = leftHalf ? 'end' : 'start'
    texts.push({ key: `goal-number-${number}`, lines: [String(number)], x: sign * (g1 + 18), y: 0, rotate, anchor, fontSize: 44, bold: true, fill: '#FFFFFF', sdg: number, role: 'goal-number' })
    // The lines stack across the sector; it is narrowest where the name starts, near the centre.
    const nameStart = g1 + 82
    const innerArc = (((to - from) * Math.PI) / 180) * nameStart * 0.9
    const room = { along: g2 - nameStart - 18, across: innerArc }
    const name = fit(goal.name[language], room.along, 26, (size) => Math.min(3, Math.floor(room.across / (size * LINE_HEIGHT))))
    texts.push({ key: `goal-name-${number}`, lines: name.lines, x: sign * nameStart, y: 0, rotate, anchor, fontSize: name.fontSize, bold: true, fill: '#FFFFFF', sdg: number, role: 'goal-name', room })
  }

  // The rings participants put their notes on, tinted with the colour of the goal or pillar.
  for (const band of r.bands) {
    for (const sector of noteSectors) {
      cells.push({ key: `band-${band.key}-${sector.key}`, d: sectorPath(band.from, band.to, sector.from, sector.to), fill: sector.color, opacity: band.opacity, sdg: sector.sdg, kind: 'band' })
      if (band.marker) {
        const mid = (sector.from + sector.to) / 2
        // Upright, not turned with the sector: a turned "+" reads as "×".
        const [x, y] = point(band.from + 36, mid)
        texts.push({ key: `marker-${band.key}-${sector.key}`, lines: [band.marker], x, y, rotate: 0, anchor: 'middle', fontSize: 44, bold: true, fill: sector.color, role: 'marker' })
      }
    }
    cells.push({ key: `gap-${band.key}`, d: sectorPath(band.from, band.to, -start, start), fill: '#F1F3F5', opacity: 1, kind: 'gap' })
    const width = (((GAP_DEGREES * Math.PI) / 180) * band.from) * 0.9
    const label = fit(band.label, width, 26, () => 2)
    texts.push({ key: `band-${band.key}`, lines: label.lines, x: 0, y: -(band.from + band.to) / 2, rotate: 0, anchor: 'middle', fontSize: label.fontSize, bold: true, fill: '#343A40', role: 'band' })
  }
  cells.push({ key: 'gap-goals', d: sectorPath(g1, g2, -start, start), fill: '#F1F3F5', opacity: 1, kind: 'gap' })
  texts.push({ key: 'abbreviation', lines: [SDG_ABBREVIATION[language]], x: 0, y: -(g1 + g2) / 2, rotate: 0, anchor: 'middle', fontSize: 40, bold: true, fill: '#343A40', role: 'abbreviation' })
  if (r.pillar) cells.push({ key: 'gap-pillars', d: sectorPath(r.pillar[0], r.pillar[1], -start, start), fill: '#F1F3F5', opacity: 1, kind: 'gap' })

  const rings = [...new Set([r.disc, ...(r.pillar ?? []), g1, g2, ...r.bands.flatMap((b) => [b.from, b.to])])]
  return { cells, texts, rings, discRadius: r.disc }
}

/** The core theme fitted into the centre disc: its lines and font size. */
export function layoutTheme(theme: string, discRadius: number): { lines: string[]; fontSize: number } {
  return fit(theme, discRadius * 1.45, 38, () => 5)
}

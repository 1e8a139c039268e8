/**
 * Where a template inserted into a board goes: beside what is already on the
 * page, never over it. Used by the in-board template panel; pure so a unit
 * test can prove the no-overlap promise.
 */
import type { TemplateDefinition } from './templates'

/** An axis-aligned box in page units. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Space left between the existing content and an inserted template, in page units. */
export const PLACEMENT_GAP = 240

/** The box a template covers relative to its origin: its frames and its card (items lie inside frames). */
export function templateBounds(definition: TemplateDefinition): Box {
  return unionOf([...definition.frames, definition.card])!
}

/** The smallest box holding all of `boxes`; undefined for none. */
export function unionOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined
  const left = Math.min(...boxes.map((b) => b.x))
  const top = Math.min(...boxes.map((b) => b.y))
  const right = Math.max(...boxes.map((b) => b.x + b.w))
  const bottom = Math.max(...boxes.map((b) => b.y + b.h))
  return { x: left, y: top, w: right - left, h: bottom - top }
}

/** Whether two boxes share any area (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/**
 * The origin to pass to instantiateTemplate so a template with `bounds`
 * (from templateBounds) lands to the right of everything in `existing`,
 * `gap` away, top-aligned with the content: tools read left to right, like
 * the steps of a session. An empty page puts the template's top-left corner
 * at (0, 0).
 */
export function placeBeside(existing: readonly Box[], bounds: Box, gap = PLACEMENT_GAP): { x: number; y: number } {
  const content = unionOf(existing)
  if (!content) return { x: -bounds.x, y: -bounds.y }
  return { x: content.x + content.w + gap - bounds.x, y: content.y - bounds.y }
}

/**
 * What a participant (or interpreter) may still do to a locked shape, decided
 * in one place for the server's rules (server/src/access/documentRules.ts)
 * and the editor's own guard (client/src/session/facilitatorLock.ts), so the
 * editor refuses exactly what the server would undo and nothing flickers back.
 *
 * - A facilitator-locked shape (`meta.facilitatorLock`) does not change at all,
 *   except that interpreters translate it (`meta.tr_<language>`): a
 *   translation is not a change to the note.
 * - A template's locked structure (`meta.template` + `isLocked`: frames,
 *   backgrounds, headings, prompts, widgets placed locked) keeps its place,
 *   size, lock and marks, and frames, headings and prompts keep their text;
 *   a widget's own content (radar scores and labels, an SDG circle's theme)
 *   and meta keys such as translations may change: that is taking part.
 */
import { hasRole, type Role } from '../access'
import { CUSTOM_SHAPES } from '../boardSchema'
import { FACILITATOR_LOCK, isFacilitatorLocked, isStructureLocked, jsonEqual, TEMPLATE_META } from '../documentLayout'

type Shape = Record<string, unknown>

/** Fields of a shape that are its place on the board. */
const PLACEMENT_FIELDS = ['type', 'parentId', 'index', 'x', 'y', 'rotation', 'isLocked', 'opacity'] as const
/** Meta keys nobody but a facilitator sets. */
const FACILITATOR_META = [FACILITATOR_LOCK, TEMPLATE_META]
const TRANSLATION_KEY = /^tr_[a-z]{2}$/

function objectAt(record: Shape, field: 'props' | 'meta'): Record<string, unknown> {
  const value = record[field]
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

/** True when `a` and `b` differ only in translations (`meta.tr_<language>`). */
export function onlyTranslationsDiffer(a: Shape, b: Shape): boolean {
  const { meta: _ma, ...restA } = a
  const { meta: _mb, ...restB } = b
  if (!jsonEqual(restA, restB)) return false
  const ma = objectAt(a, 'meta')
  const mb = objectAt(b, 'meta')
  for (const key of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
    if (!jsonEqual(ma[key], mb[key]) && !TRANSLATION_KEY.test(key)) return false
  }
  return true
}

/** True when a change to a template's locked structure only takes part in it (see above). */
export function participatesOnly(was: Shape, after: Shape): boolean {
  if (PLACEMENT_FIELDS.some((field) => !jsonEqual(was[field], after[field]))) return false
  const widget = typeof was.type === 'string' && Object.hasOwn(CUSTOM_SHAPES, was.type)
  const pa = objectAt(was, 'props')
  const pb = objectAt(after, 'props')
  if (!widget && !jsonEqual(pa, pb)) return false
  if (widget && (!jsonEqual(pa.w, pb.w) || !jsonEqual(pa.h, pb.h))) return false
  return FACILITATOR_META.every((key) => jsonEqual(objectAt(was, 'meta')[key], objectAt(after, 'meta')[key]))
}

/** True when someone with `role` may change the shape `was` into `after` as far as locks go. */
export function lockAllowsChange(was: Shape, after: Shape, role: Role): boolean {
  if (hasRole(role, 'facilitator')) return true
  if (isFacilitatorLocked(was)) return hasRole(role, 'interpreter') && onlyTranslationsDiffer(was, after)
  if (isStructureLocked(was)) return participatesOnly(was, after)
  return true
}

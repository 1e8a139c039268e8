/**
 * The only way the radar's UI changes a radar, and a guard that keeps
 * everything else from changing its contributions.
 *
 * Writes go to the store as the user (so the binding sends them), touch only
 * the keys named, and are left out of the undo history: undo puts back a whole
 * earlier `meta` object, which would wipe every score that arrived since.
 * For the same reason a guard reverts any other user-side change to a radar's
 * own meta keys or configuration (an undo of a move, for instance): a person's
 * action may change only what they meant to change.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { jsonEqual } from '../../../../../shared/documentLayout'
import {
  LABEL_PREFIX,
  NAME_PREFIX,
  nameKey,
  parseScoreEntry,
  RADAR_SHAPE_TYPE,
  ROUND_PREFIX,
  SCORE_PREFIX,
  scoreEntry,
  scoreKey,
  withScore,
  type RadarProps,
} from '../../../../../shared/radar'

let writing = 0

/** Changes to one radar: meta keys to set (undefined removes the key) and props to set. */
export interface RadarChange {
  meta?: Record<string, unknown>
  props?: Partial<RadarProps>
}

/** `shape` with `change` applied: only the named meta keys and props differ. */
export function applyRadarChange<S extends TLShape>(shape: S, change: RadarChange): S {
  const meta: Record<string, unknown> = { ...shape.meta }
  for (const [key, value] of Object.entries(change.meta ?? {})) {
    if (value === undefined) delete meta[key]
    else meta[key] = value
  }
  return { ...shape, meta, props: { ...shape.props, ...change.props } } as S
}

/**
 * The change that sets one respondent's score on one axis (null clears it),
 * computed from the radar as it is now: it writes that respondent's own keys only.
 */
export function scoreChange(
  shape: { meta: Record<string, unknown>; props: RadarProps },
  viewer: { respondentId: string; displayName: string },
  axis: number,
  score: number | null,
): RadarChange {
  const { round, maxScore, showNames } = shape.props
  const entry = parseScoreEntry(shape.meta[scoreKey(viewer.respondentId)], maxScore)
  const values = withScore(entry && entry.r === round ? entry.v : [], axis, score)
  const meta: Record<string, unknown> = { [scoreKey(viewer.respondentId)]: scoreEntry(round, values) }
  if (showNames) meta[nameKey(viewer.respondentId)] = viewer.displayName
  return { meta }
}

/** Applies `change` to the radar `id` as the current user; false when not allowed (read-only, gone). */
export function writeRadar(editor: Editor, id: TLShapeId, change: RadarChange): boolean {
  if (editor.getIsReadonly()) return false
  if (!editor.store.has(id)) return false
  writing++
  try {
    editor.run(
      () => {
        editor.store.update(id, (record) => applyRadarChange(record as TLShape, change))
      },
      { history: 'ignore' },
    )
  } finally {
    writing--
  }
  return true
}

const GEOMETRY_PROPS = new Set(['w', 'h'])
/** Meta keys the radar owns; others (a facilitator's lock mark, template marks) are left to their owners. */
const RADAR_META_PREFIXES = [SCORE_PREFIX, NAME_PREFIX, LABEL_PREFIX, ROUND_PREFIX]

function isRadarMetaKey(key: string): boolean {
  return RADAR_META_PREFIXES.some((prefix) => key.startsWith(prefix))
}

/**
 * Reverts user-side changes to a radar's own meta keys (scores, names, labels,
 * rounds) and non-geometry props that did not come through writeRadar.
 * Moving, resizing, locking (tldraw's or a facilitator's) and deleting still work.
 */
export function guardRadars(editor: Editor): () => void {
  return editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
    if (source !== 'user' || writing > 0 || next.type !== RADAR_SHAPE_TYPE || prev.type !== RADAR_SHAPE_TYPE) return next
    const prevProps = prev.props as unknown as Record<string, unknown>
    const nextProps = next.props as unknown as Record<string, unknown>
    let props = nextProps
    for (const key of Object.keys(prevProps)) {
      if (GEOMETRY_PROPS.has(key) || prevProps[key] === nextProps[key]) continue
      props = props === nextProps ? { ...nextProps } : props
      props[key] = prevProps[key]
    }
    const prevMeta = prev.meta as Record<string, unknown>
    const nextMeta = next.meta as Record<string, unknown>
    let meta = nextMeta
    if (prevMeta !== nextMeta) {
      for (const key of new Set([...Object.keys(prevMeta), ...Object.keys(nextMeta)])) {
        if (!isRadarMetaKey(key) || jsonEqual(prevMeta[key], nextMeta[key])) continue
        meta = meta === nextMeta ? { ...nextMeta } : meta
        if (key in prevMeta) meta[key] = prevMeta[key]
        else delete meta[key]
      }
    }
    if (props === nextProps && meta === nextMeta) return next
    return { ...next, meta, props } as unknown as typeof next
  })
}

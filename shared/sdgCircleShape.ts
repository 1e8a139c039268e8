/**
 * The SDG circle: the game board of the VVSG's SDG circle exercise as one of
 * our tldraw shapes. One shape type with a `variant` prop rather than three
 * types: the three boards share the 17 goals, their colours and the wheel
 * geometry and differ only in what lies between the centre and the goals
 * (nothing, or the five pillars) and in the rings participants put notes on
 * (positive/negative impact, or internal/local/global). One type means one
 * schema entry, one renderer and one migration history.
 * Its ShapeUtil is client/src/board/shapes/SdgCircleShapeUtil.tsx.
 */
import { T } from '@tldraw/validate'
import type { CustomShapeDefinition } from './boardSchema'

/** The shape's type name in records and templates. */
export const SDG_CIRCLE_TYPE = 'sdg-circle'

/** The three game boards. */
export const SDG_CIRCLE_VARIANTS = ['theme', 'levels', 'pillars'] as const
export type SdgCircleVariant = (typeof SDG_CIRCLE_VARIANTS)[number]

/** Props of an SDG circle record. */
// A type alias, not an interface: it has to fit CustomShapeDefinition's Record<string, unknown>.
export type SdgCircleProps = {
  w: number
  h: number
  /** theme: one core theme, notes on positive/negative impact; levels: internal/local/global rings; pillars: the five P's. */
  variant: SdgCircleVariant
  /** The core theme in the centre, written by the group (empty: a hint is shown while editing). */
  theme: string
}

/** A fresh SDG circle's props. */
export function sdgCircleDefaultProps(): SdgCircleProps {
  return { w: 1600, h: 1600, variant: 'theme', theme: '' }
}

/** Longest core theme accepted: it has to fit in the centre of the wheel. */
export const SDG_THEME_MAX_LENGTH = 120

/** Schema entry for CUSTOM_SHAPES. */
export const sdgCircleShape: CustomShapeDefinition = {
  props: {
    w: T.nonZeroNumber,
    h: T.nonZeroNumber,
    variant: T.literalEnum(...SDG_CIRCLE_VARIANTS),
    theme: T.string,
  },
  defaultProps: sdgCircleDefaultProps,
}

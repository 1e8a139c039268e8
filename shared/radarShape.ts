/**
 * The participation radar's entry in the board schema: its props validators,
 * migrations and default props. Registered in CUSTOM_SHAPES
 * (shared/boardSchema.ts); the client's RadarShapeUtil uses exactly these.
 * Scores, labels, names and frozen rounds live in the shape's meta, one key
 * each (see shared/radar.ts for why).
 */
import { createShapePropsMigrationSequence } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import type { CustomShapeDefinition } from './boardSchema'
import {
  DEFAULT_AXES,
  DEFAULT_MAX_SCORE,
  MAX_AXES,
  MAX_LABEL_LENGTH,
  MAX_SCORE_SCALE,
  MIN_AXES,
  MIN_SCORE_SCALE,
  type RadarProps,
} from './radar'

function integerBetween(min: number, max: number) {
  return T.integer.check((value) => {
    if (value < min || value > max) throw new T.ValidationError(`Expected an integer from ${min} to ${max}, got ${value}`)
  })
}

/** Validators of the radar's props. */
export const radarPropsValidators = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  axisCount: integerBetween(MIN_AXES, MAX_AXES),
  maxScore: integerBetween(MIN_SCORE_SCALE, MAX_SCORE_SCALE),
  round: T.positiveInteger.check((value) => {
    if (value < 1) throw new T.ValidationError(`Expected a round number of 1 or more, got ${value}`)
  }),
  spread: T.literalEnum('iqr', 'range'),
  showNames: T.boolean,
  title: T.string.check((value) => {
    if (value.length > MAX_LABEL_LENGTH * 3) throw new T.ValidationError(`Expected a title of at most ${MAX_LABEL_LENGTH * 3} characters`)
  }),
}

/** Prop migrations; none yet (add one per change, ids going up by one). */
export const radarMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** A new radar: eight unnamed axes, scores 1 to 5, round 1, interquartile band, anonymous. */
export function radarDefaultProps(): RadarProps {
  return { w: 960, h: 720, axisCount: DEFAULT_AXES, maxScore: DEFAULT_MAX_SCORE, round: 1, spread: 'iqr', showNames: false, title: '' }
}

/** The radar's schema entry. */
export const radarShapeDefinition: CustomShapeDefinition = {
  props: radarPropsValidators,
  migrations: radarMigrations,
  defaultProps: radarDefaultProps,
  // Names next to scores are the group's choice, set by a facilitator: a participant who turned
  // them on (or pasted a copy with them on) would make every browser write its name there.
  facilitatorOnlyProps: { showNames: false },
}

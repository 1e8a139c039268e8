/**
 * The tldraw schema of a board: tldraw's default shapes plus our own custom
 * shapes (participation radar, SDG circle ...). Declared once here so the
 * server (seeding, template instantiation, tests) and the client (store,
 * validation of incoming records) agree on every record's shape. A custom
 * shape adds its props validators, migrations and default props to
 * CUSTOM_SHAPES; its ShapeUtil (rendering, interaction) lives in
 * client/src/board/shapes/ and uses exactly these (`static props`,
 * `static migrations`, `getDefaultProps()`).
 */
import { createTLSchema, defaultShapeSchemas, type SchemaPropsInfo } from '@tldraw/tlschema'
import { RADAR_SHAPE_TYPE } from './radar'
import { radarShapeDefinition } from './radarShape'
import { SDG_CIRCLE_TYPE, sdgCircleShape } from './sdgCircleShape'

/** Everything the schema and templates need to know about one of our shapes. */
export interface CustomShapeDefinition {
  props: NonNullable<SchemaPropsInfo['props']>
  migrations?: SchemaPropsInfo['migrations']
  /** A fresh shape's props (templates override some of them). */
  defaultProps(): Record<string, unknown>
  /**
   * Props only a facilitator may change, with the value a shape a participant
   * creates (pastes) must have. The server's write guard undoes anyone else's change.
   */
  facilitatorOnlyProps?: Record<string, unknown>
}

/** Our custom shapes by shape type. */
export const CUSTOM_SHAPES: Record<string, CustomShapeDefinition> = {
  [RADAR_SHAPE_TYPE]: radarShapeDefinition,
  [SDG_CIRCLE_TYPE]: sdgCircleShape,
}

/** The schema every board is written with. */
export function createBoardSchema() {
  const custom = Object.fromEntries(
    Object.entries(CUSTOM_SHAPES).map(([type, { props, migrations }]) => [type, { props, migrations }]),
  )
  return createTLSchema({ shapes: { ...defaultShapeSchemas, ...custom } })
}

/**
 * The tldraw schema of a board: tldraw's default shapes plus our own custom
 * shapes (participation radar, SDG circle ...). Declared once here so the
 * server (seeding, template instantiation, tests) and the client (store,
 * validation of incoming records) agree on every record's shape. A custom
 * shape adds its props validators and migrations to CUSTOM_SHAPE_SCHEMAS; its
 * ShapeUtil (rendering, interaction) lives in client/src/board/shapes/ and
 * must use the same props and migrations.
 */
import { createTLSchema, defaultShapeSchemas, type SchemaPropsInfo } from '@tldraw/tlschema'

/** Our custom shapes' schemas by shape type. */
export const CUSTOM_SHAPE_SCHEMAS: Record<string, SchemaPropsInfo> = {}

/** The schema every board is written with. */
export function createBoardSchema() {
  return createTLSchema({ shapes: { ...defaultShapeSchemas, ...CUSTOM_SHAPE_SCHEMAS } })
}

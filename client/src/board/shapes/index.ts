/**
 * Our custom tldraw shapes, registered with both the store (so records
 * validate and migrate) and the editor (so they render). Each one's props and
 * migrations come from shared/boardSchema.ts's CUSTOM_SHAPE_SCHEMAS.
 */
import type { TLAnyShapeUtilConstructor } from 'tldraw'

export const customShapeUtils: TLAnyShapeUtilConstructor[] = []

/**
 * Our custom tldraw shapes, registered with both the store (so records
 * validate and migrate) and the editor (so they render). Each one's props,
 * defaults and migrations come from shared/boardSchema.ts's CUSTOM_SHAPES.
 */
import type { TLAnyShapeUtilConstructor } from 'tldraw'
import { SdgCircleShapeUtil } from './SdgCircleShapeUtil'

export const customShapeUtils: TLAnyShapeUtilConstructor[] = [SdgCircleShapeUtil]

/**
 * Our custom tldraw shapes, registered with both the store (so records
 * validate and migrate) and the editor (so they render). Each one's props,
 * defaults and migrations come from shared/boardSchema.ts's CUSTOM_SHAPES.
 */
import type { Editor, TLAnyShapeUtilConstructor } from 'tldraw'
import { guardRadars } from './radar/radarWrites'
import { RadarShapeUtil } from './radar/RadarShapeUtil'
import { SdgCircleShapeUtil } from './SdgCircleShapeUtil'

export const customShapeUtils: TLAnyShapeUtilConstructor[] = [RadarShapeUtil, SdgCircleShapeUtil]

/** Editor side effects our shapes need (the radar's guard against clobbering scores); returns a cleanup. */
export function registerCustomShapeEffects(editor: Editor): () => void {
  return guardRadars(editor)
}

export { createContributionWriter } from './radar/contributions'
export { RadarViewerContext, respondentIdFor } from './radar/radarContext'

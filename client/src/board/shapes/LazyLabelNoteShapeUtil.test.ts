import { Group2d, Rectangle2d, Vec } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { LazyLabel2d } from './LazyLabelNoteShapeUtil'

/** A note-like geometry: a 200 x 260 body and a label built by `build`, counted. */
function note() {
  let builds = 0
  const label = new LazyLabel2d(() => {
    builds++
    return new Rectangle2d({ x: 20, y: 90, width: 160, height: 80, isFilled: true, isLabel: true, excludeFromShapeBounds: true })
  })
  const geometry = new Group2d({ children: [new Rectangle2d({ width: 200, height: 260, isFilled: true }), label] })
  return { geometry, label, builds: () => builds }
}

describe('a note geometry with a lazily measured label', () => {
  it('has the bounds of its body without measuring the label', () => {
    const { geometry, label, builds } = note()
    expect(geometry.bounds.toJson()).toEqual({ x: 0, y: 0, w: 200, h: 260 })
    // What the spatial index and hit tests on the body need does not measure the label.
    expect(geometry.hitTestPoint(new Vec(10, 10), 0, true)).toBe(true)
    expect(geometry.hitTestPoint(new Vec(300, 10), 0, true)).toBe(false)
    expect(label.isBuilt).toBe(false)
    expect(builds()).toBe(0)
  })

  it('measures the label once, when it is first asked about, and answers as the measured label', () => {
    const { geometry, label, builds } = note()
    const measured = new Rectangle2d({ x: 20, y: 90, width: 160, height: 80, isFilled: true })
    expect(label.isPointInBounds(new Vec(100, 100))).toBe(true)
    expect(label.isPointInBounds(new Vec(5, 5))).toBe(false)
    expect(label.bounds.toJson()).toEqual(measured.bounds.toJson())
    expect(label.hitTestPoint(new Vec(100, 100), 0, true)).toBe(true)
    expect(label.distanceToPoint(new Vec(0, 90))).toBeCloseTo(measured.distanceToPoint(new Vec(0, 90)))
    expect(label.getSvgPathData(true)).toBe(measured.getSvgPathData())
    expect(label.vertices.map((v) => v.toJson())).toEqual(measured.vertices.map((v) => v.toJson()))
    // Still a label that does not count towards the note's bounds.
    expect(label.isLabel).toBe(true)
    expect(geometry.bounds.toJson()).toEqual({ x: 0, y: 0, w: 200, h: 260 })
    expect(builds()).toBe(1)
  })
})

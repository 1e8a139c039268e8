/**
 * tldraw's sticky note with the same geometry, built without measuring the
 * label's text until something asks for the label.
 *
 * tldraw's spatial index needs every shape's page bounds as soon as the
 * editor hit-tests or culls anything (on mount, for the select tool's hover
 * check). A note's bounds are its body only (the label is excluded from
 * them), yet the stock geometry measures the label's text in the DOM for each
 * note to build it: on a 5,000-note board that was ~2.7 s of the page's load
 * (rich text to HTML, layout, GC). Here the body is built at once and the
 * label is measured the first time it is hit-tested or drawn, which only
 * happens for notes under the pointer or being edited.
 */
import { Geometry2d, getDisplayValues, Group2d, NoteShapeUtil, Rectangle2d, type Geometry2dFilters, type TLNoteShape, type Vec, type VecLike } from 'tldraw'

/**
 * A label geometry whose real shape comes from `build`, called at most once,
 * on first use. It is a label excluded from shape bounds, like the note's.
 */
export class LazyLabel2d extends Geometry2d {
  private built: Geometry2d | undefined

  constructor(private readonly build: () => Geometry2d) {
    super({ isFilled: true, isClosed: true, isLabel: true, excludeFromShapeBounds: true })
  }

  /** The label as tldraw builds it (measured now if it was not yet). */
  get inner(): Geometry2d {
    this.built ??= this.build()
    return this.built
  }

  /** Whether the label has been measured (for tests). */
  get isBuilt(): boolean {
    return this.built !== undefined
  }

  getVertices(filters: Geometry2dFilters): Vec[] {
    return this.inner.getVertices(filters)
  }
  nearestPoint(point: VecLike, filters?: Geometry2dFilters): Vec {
    return this.inner.nearestPoint(point, filters)
  }
  override hitTestPoint(point: VecLike, margin?: number, hitInside?: boolean, filters?: Geometry2dFilters): boolean {
    return this.inner.hitTestPoint(point, margin, hitInside, filters)
  }
  override distanceToPoint(point: VecLike, hitInside?: boolean, filters?: Geometry2dFilters): number {
    return this.inner.distanceToPoint(point, hitInside, filters)
  }
  override distanceToLineSegment(A: VecLike, B: VecLike, filters?: Geometry2dFilters): number {
    return this.inner.distanceToLineSegment(A, B, filters)
  }
  override hitTestLineSegment(A: VecLike, B: VecLike, distance?: number, filters?: Geometry2dFilters): boolean {
    return this.inner.hitTestLineSegment(A, B, distance, filters)
  }
  override intersectLineSegment(A: VecLike, B: VecLike, filters?: Geometry2dFilters): VecLike[] {
    return this.inner.intersectLineSegment(A, B, filters)
  }
  override intersectCircle(center: VecLike, radius: number, filters?: Geometry2dFilters): VecLike[] {
    return this.inner.intersectCircle(center, radius, filters)
  }
  override intersectPolygon(polygon: VecLike[], filters?: Geometry2dFilters): VecLike[] {
    return this.inner.intersectPolygon(polygon, filters)
  }
  override intersectPolyline(polyline: VecLike[], filters?: Geometry2dFilters): VecLike[] {
    return this.inner.intersectPolyline(polyline, filters)
  }
  override interpolateAlongEdge(t: number, filters?: Geometry2dFilters): Vec {
    return this.inner.interpolateAlongEdge(t, filters)
  }
  override uninterpolateAlongEdge(point: VecLike, filters?: Geometry2dFilters): number {
    return this.inner.uninterpolateAlongEdge(point, filters)
  }
  override isPointInBounds(point: VecLike, margin?: number): boolean {
    return this.inner.isPointInBounds(point, margin)
  }
  override overlapsPolygon(polygon: VecLike[]): boolean {
    return this.inner.overlapsPolygon(polygon)
  }
  override getBounds() {
    return this.inner.getBounds()
  }
  override getArea(): number {
    return this.inner.getArea()
  }
  override getLength(filters?: Geometry2dFilters): number {
    return this.inner.getLength(filters)
  }
  override ignoreHit(point: VecLike): boolean {
    return this.inner.ignoreHit(point)
  }
  getSvgPathData(first: boolean): string {
    return this.inner.getSvgPathData(first)
  }
}

/** The sticky note whose geometry measures its label lazily (see the file comment). */
export class LazyLabelNoteShapeUtil extends NoteShapeUtil {
  override getGeometry(shape: TLNoteShape): Group2d {
    // As tldraw's NoteShapeUtil.getGeometry: the body is noteWidth x (noteHeight + growY), scaled.
    const dv = getDisplayValues(this, shape)
    const { scale, growY } = shape.props
    return new Group2d({
      children: [
        new Rectangle2d({ width: dv.noteWidth * scale, height: (dv.noteHeight + growY) * scale, isFilled: true }),
        new LazyLabel2d(() => stockLabel(this.stockGeometry(shape))),
      ],
    })
  }

  /** The geometry tldraw itself builds for `shape` (measures the label now). */
  stockGeometry(shape: TLNoteShape): Geometry2d {
    return super.getGeometry(shape)
  }
}

function stockLabel(geometry: Geometry2d): Geometry2d {
  const label = geometry instanceof Group2d ? geometry.children.find((child) => child.isLabel) : undefined
  if (!label) throw new Error('tldraw note geometry has no label')
  return label
}

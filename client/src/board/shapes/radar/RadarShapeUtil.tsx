/**
 * The participation radar as a tldraw shape: scored on the board itself,
 * drawn live from everyone's scores, exported as SVG/PNG with the board.
 * Props, migrations and defaults come from shared/radarShape.ts; the data
 * layout and aggregation from shared/radar.ts.
 */
import { BaseBoxShapeUtil, HTMLContainer, type TLResizeInfo, type TLShape, resizeBox } from 'tldraw'
import i18next from 'i18next'
import {
  aggregate,
  ghostRound,
  RADAR_SHAPE_TYPE,
  readLabels,
  readResponses,
  readRounds,
  type RadarProps,
} from '../../../../../shared/radar'
import { radarDefaultProps, radarMigrations, radarPropsValidators } from '../../../../../shared/radarShape'
import { formatScore, layoutIn, RADAR_COLORS, RadarChart, wrap } from './RadarChart'
import { RadarShape } from './RadarShape'

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [RADAR_SHAPE_TYPE]: RadarProps
  }
}

/** A radar shape record. */
export type TLRadarShape = TLShape<typeof RADAR_SHAPE_TYPE>

/** Width of the side panel (controls on screen, legend in exports). */
export function panelWidth(w: number): number {
  return Math.round(Math.min(320, Math.max(240, w * 0.32)))
}

const MIN_W = 560
const MIN_H = 420

export class RadarShapeUtil extends BaseBoxShapeUtil<TLRadarShape> {
  static override type = RADAR_SHAPE_TYPE
  static override props = radarPropsValidators
  static override migrations = radarMigrations

  override getDefaultProps(): RadarProps {
    return radarDefaultProps()
  }

  override canEdit() {
    return false
  }

  override isAspectRatioLocked() {
    return false
  }

  override onResize(shape: TLRadarShape, info: TLResizeInfo<TLRadarShape>) {
    return resizeBox(shape, info, { minWidth: MIN_W, minHeight: MIN_H })
  }

  override getText(shape: TLRadarShape): string {
    return [shape.props.title, ...readLabels(shape.meta, shape.props.axisCount).filter(Boolean)].filter(Boolean).join('\n')
  }

  override component(shape: TLRadarShape) {
    return (
      <HTMLContainer id={shape.id} style={{ pointerEvents: 'none' }}>
        <RadarShape shape={shape} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: TLRadarShape) {
    const path = new Path2D()
    path.rect(0, 0, shape.props.w, shape.props.h)
    return path
  }

  /** The group's picture for an export: chart, title, count and legend. Never anyone's own polygon or names. */
  override toSvg(shape: TLRadarShape) {
    const t = i18next.t.bind(i18next)
    const { w, h, axisCount, maxScore, spread, round } = shape.props
    const side = panelWidth(w)
    const layout = layoutIn(w - side, h, axisCount)
    const responses = readResponses(shape.meta, { ...shape.props, showNames: false })
    const stats = aggregate(responses, axisCount)
    const ghost = ghostRound(readRounds(shape.meta), round)
    const drawnGhost = ghost && ghost.axes.length === axisCount ? ghost : undefined
    const x = w - side + 16
    const labels = readLabels(shape.meta, axisCount)
    const legend: [string, string, string | undefined][] = [
      [RADAR_COLORS.median, t('radar.legendMedian'), undefined],
      [RADAR_COLORS.band, spread === 'iqr' ? t('radar.legendIqr') : t('radar.legendRange'), undefined],
      ...(drawnGhost ? [[RADAR_COLORS.ghost, t('radar.legendGhost', { label: drawnGhost.label, date: drawnGhost.date }), '7 5'] as [string, string, string]] : []),
    ]
    const titleLines = wrap(shape.props.title || t('radar.name'), Math.max(12, Math.floor((side - 32) / 10.5)), 4)
    const countY = 36 + titleLines.length * 24 + 6
    const legendY = countY + 32
    const tableY = legendY + legend.length * 24 + 16
    const chars = Math.max(12, Math.floor((side - 32) / 6.5))
    return (
      <g data-radar-export="" data-respondents={stats.respondents}>
        <rect x={0} y={0} width={w} height={h} fill="#ffffff" stroke={RADAR_COLORS.grid} rx={12} />
        <RadarChart
          layout={layout}
          maxScore={maxScore}
          labels={labels}
          placeholder={(i) => t('radar.axisPlaceholder', { n: i + 1 })}
          aggregate={stats}
          spread={spread}
          ghost={drawnGhost}
        />
        <text x={x} y={36} fontFamily="sans-serif" fontSize={19} fontWeight={700} fill={RADAR_COLORS.label}>
          {titleLines.map((line, i) => (
            <tspan key={i} x={x} dy={i === 0 ? 0 : 24}>
              {line}
            </tspan>
          ))}
        </text>
        <text x={x} y={countY} fontFamily="sans-serif" fontSize={15} fontWeight={600} fill={RADAR_COLORS.label} data-radar-count={stats.respondents}>
          {t('radar.respondents', { count: stats.respondents })}
        </text>
        {legend.map(([color, label, dash], i) => (
          <g key={i} transform={`translate(${x}, ${legendY + i * 24})`}>
            <line x1={0} y1={-5} x2={24} y2={-5} stroke={color} strokeWidth={dash ? 2 : 6} strokeDasharray={dash} strokeOpacity={dash ? 1 : 0.8} />
            <text x={32} y={0} fontFamily="sans-serif" fontSize={13} fill={RADAR_COLORS.label}>
              {wrap(label, chars - 5, 1)[0]}
            </text>
          </g>
        ))}
        {/* The numbers behind the picture, for a report: median and how many scored, per axis. */}
        <g data-radar-layer="table" fontFamily="sans-serif" fontSize={12.5} fill={RADAR_COLORS.label}>
          {stats.axes.map((axis, i) => (
            <text key={i} x={x} y={tableY + i * 19}>
              {`${wrap(labels[i] || t('radar.axisPlaceholder', { n: i + 1 }), chars - 14, 1)[0]}: ${
                axis.median === null ? t('radar.groupNone') : t('radar.groupValue', { median: formatScore(axis.median, i18next.language), count: axis.n })
              }`}
            </text>
          ))}
        </g>
      </g>
    )
  }
}

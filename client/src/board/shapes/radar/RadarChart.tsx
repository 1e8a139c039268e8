/**
 * The radar drawn as plain SVG: rings, axes, labels, the group's spread band
 * and median polygon, an earlier round's ghost outline and (on screen only)
 * the viewer's own polygon. No hooks and no editor, so the same drawing serves
 * the canvas and tldraw's SVG/PNG export (toSvg).
 */
import type { PointerEvent as ReactPointerEvent } from 'react'
import type { AxisStats, FrozenRound, RadarAggregate, SpreadMode } from '../../../../../shared/radar'

/** Colours, inline so an exported SVG looks the same as the canvas. */
export const RADAR_COLORS = {
  grid: '#ced4da',
  axis: '#adb5bd',
  label: '#212529',
  placeholder: '#868e96',
  median: '#1864ab',
  band: '#4dabf7',
  own: '#e8590c',
  ghost: '#495057',
} as const

/** Where the radar sits: centre and outer radius, in the shape's coordinates. */
export interface RadarLayout {
  cx: number
  cy: number
  radius: number
  axisCount: number
}

/** Position of `fraction` (0 = centre, 1 = outer ring) on `axis`; axis 0 points up, the others follow clockwise. */
export function pointOnAxis(layout: RadarLayout, axis: number, fraction: number): { x: number; y: number } {
  const angle = (axis * 2 * Math.PI) / layout.axisCount
  return { x: layout.cx + layout.radius * fraction * Math.sin(angle), y: layout.cy - layout.radius * fraction * Math.cos(angle) }
}

/** The chart's layout inside a box, leaving room for the axis labels. */
export function layoutIn(width: number, height: number, axisCount: number): RadarLayout {
  const labelRoom = Math.min(140, Math.min(width, height) * 0.24)
  return { cx: width / 2, cy: height / 2, radius: Math.max(20, Math.min(width, height) / 2 - labelRoom), axisCount }
}

/** A score or median for people to read: at most one decimal, with the language's decimal sign. */
export function formatScore(n: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(n)
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString()

function polygonPath(layout: RadarLayout, values: (number | null)[], maxScore: number): string {
  const points = values.flatMap((v, axis) => (v === null ? [] : [pointOnAxis(layout, axis, v / maxScore)]))
  if (points.length === 0) return ''
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(p.x)},${fmt(p.y)}`).join(' ') + (points.length > 2 ? ' Z' : '')
}

function ringPath(layout: RadarLayout, fraction: number): string {
  return polygonPath(layout, Array.from({ length: layout.axisCount }, () => fraction), 1)
}

/** Splits text into at most `maxLines` lines of about `width` characters (the last one cut with …). */
export function wrap(text: string, width = 15, maxLines = 3): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  if (lines.length > maxLines) {
    const rest = lines.slice(maxLines - 1).join(' ')
    return [...lines.slice(0, maxLines - 1), rest.length > width ? rest.slice(0, width - 1) + '…' : rest]
  }
  return lines
}

/** What to draw. */
export interface RadarChartProps {
  layout: RadarLayout
  maxScore: number
  /** One per axis; '' draws `placeholder(i)` in grey. */
  labels: string[]
  placeholder(axis: number): string
  aggregate: RadarAggregate
  spread: SpreadMode
  /** The viewer's own scores (on screen only; never in an export). */
  own?: (number | null)[]
  /** An earlier round to outline, when it has the same axes. */
  ghost?: FrozenRound
  /** Makes each axis a hit target for scoring (on screen only). */
  onAxisPointerDown?(axis: number, event: ReactPointerEvent<SVGElement>): void
  /** Axis whose keyboard control has focus: drawn emphasised. */
  focusedAxis?: number | null
  fontFamily?: string
}

function spreadValues(axes: AxisStats[], spread: SpreadMode): { low: (number | null)[]; high: (number | null)[] } {
  return spread === 'iqr' ? { low: axes.map((a) => a.q1), high: axes.map((a) => a.q3) } : { low: axes.map((a) => a.min), high: axes.map((a) => a.max) }
}

/** The radar as an SVG group. */
export function RadarChart({ layout, maxScore, labels, placeholder, aggregate, spread, own, ghost, onAxisPointerDown, focusedAxis, fontFamily = 'sans-serif' }: RadarChartProps) {
  const { axisCount } = layout
  const axes = Array.from({ length: axisCount }, (_, i) => i)
  const { low, high } = spreadValues(aggregate.axes, spread)
  // The band: the outline of the high values with the low values cut out (even-odd fill).
  const bandAxes = axes.filter((i) => high[i] !== null)
  const band =
    bandAxes.length > 2
      ? `${polygonPath(layout, axes.map((i) => high[i]), maxScore)} ${polygonPath(layout, axes.map((i) => low[i]), maxScore)}`
      : ''
  const medians = aggregate.axes.map((a) => a.median)
  const ownScored = own?.some((v) => v !== null) ?? false
  return (
    <g data-radar-chart="" fontFamily={fontFamily}>
      <g data-radar-layer="grid">
        {Array.from({ length: maxScore }, (_, k) => (
          <path key={k} d={ringPath(layout, (k + 1) / maxScore)} fill={k + 1 === maxScore ? '#f8f9fa' : 'none'} stroke={RADAR_COLORS.grid} strokeWidth={1} />
        ))}
        {axes.map((i) => {
          const end = pointOnAxis(layout, i, 1)
          return <line key={i} x1={layout.cx} y1={layout.cy} x2={end.x} y2={end.y} stroke={RADAR_COLORS.axis} strokeWidth={focusedAxis === i ? 3 : 1} />
        })}
        {Array.from({ length: maxScore }, (_, k) => {
          const p = pointOnAxis(layout, 0, (k + 1) / maxScore)
          return (
            <text key={k} x={p.x + 5} y={p.y + 4} fontSize={11} fill={RADAR_COLORS.placeholder}>
              {k + 1}
            </text>
          )
        })}
      </g>
      {band && <path data-radar-layer="spread" data-spread={spread} d={band} fill={RADAR_COLORS.band} fillOpacity={0.3} fillRule="evenodd" stroke="none" />}
      {ghost && (
        <path data-radar-layer="ghost" d={polygonPath(layout, ghost.axes.map((a) => a.median), ghost.maxScore)} fill="none" stroke={RADAR_COLORS.ghost} strokeWidth={2} strokeDasharray="7 5" />
      )}
      <g data-radar-layer="median" data-medians={JSON.stringify(medians)}>
        <path d={polygonPath(layout, medians, maxScore)} fill={RADAR_COLORS.median} fillOpacity={0.12} stroke={RADAR_COLORS.median} strokeWidth={3} strokeLinejoin="round" />
        {axes.map((i) => {
          if (medians[i] === null) return null
          const p = pointOnAxis(layout, i, (medians[i] as number) / maxScore)
          return <circle key={i} cx={p.x} cy={p.y} r={4} fill={RADAR_COLORS.median} />
        })}
      </g>
      {own && ownScored && (
        <g data-radar-layer="own" data-own={JSON.stringify(own)}>
          <path d={polygonPath(layout, own, maxScore)} fill={RADAR_COLORS.own} fillOpacity={0.14} stroke={RADAR_COLORS.own} strokeWidth={3.5} strokeLinejoin="round" />
          {axes.map((i) => {
            const v = own[i]
            if (v === null || v === undefined) return null
            const p = pointOnAxis(layout, i, v / maxScore)
            return <circle key={i} cx={p.x} cy={p.y} r={7} fill="#fff" stroke={RADAR_COLORS.own} strokeWidth={3} />
          })}
        </g>
      )}
      <g data-radar-layer="labels">
        {axes.map((i) => {
          const angle = (i * 2 * Math.PI) / axisCount
          const p = pointOnAxis(layout, i, 1)
          const gap = 14
          const x = p.x + gap * Math.sin(angle)
          const y = p.y - gap * Math.cos(angle)
          const anchor = Math.sin(angle) > 0.3 ? 'start' : Math.sin(angle) < -0.3 ? 'end' : 'middle'
          const text = labels[i] || placeholder(i)
          const lines = wrap(text)
          const lineHeight = 16
          // Labels below the centre hang down from the axis end, those above sit on it.
          const top = Math.cos(angle) < -0.3 ? y + 12 : Math.cos(angle) > 0.3 ? y - (lines.length - 1) * lineHeight : y - ((lines.length - 1) * lineHeight) / 2 + 5
          return (
            <text key={i} data-axis-label={i} x={x} y={top} textAnchor={anchor} fontSize={14} fontWeight={labels[i] ? 600 : 400} fontStyle={labels[i] ? 'normal' : 'italic'} fill={labels[i] ? RADAR_COLORS.label : RADAR_COLORS.placeholder}>
              {lines.map((line, n) => (
                <tspan key={n} x={x} dy={n === 0 ? 0 : lineHeight}>
                  {line}
                </tspan>
              ))}
            </text>
          )
        })}
      </g>
      {onAxisPointerDown && (
        <g data-radar-layer="hit">
          {axes.map((i) => {
            const end = pointOnAxis(layout, i, 1.06)
            return (
              <line
                key={i}
                data-axis-hit={i}
                x1={layout.cx}
                y1={layout.cy}
                x2={end.x}
                y2={end.y}
                stroke="transparent"
                strokeWidth={30}
                strokeLinecap="round"
                style={{ pointerEvents: 'stroke', cursor: 'pointer' }}
                onPointerDown={(event) => onAxisPointerDown(i, event)}
              />
            )
          })}
        </g>
      )}
    </g>
  )
}

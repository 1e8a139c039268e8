/**
 * The radar on the canvas: the chart (score by clicking or dragging along an
 * axis) and a side panel with the group's count, a legend and four tabs:
 * scoring with the keyboard, the axes, the rounds and the settings (their UI in
 * RadarPanel.tsx). A person's own scores and name go through the contribution
 * writer, everything else through writeRadar; each touches only its own keys.
 */
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor, useValue } from 'tldraw'
import { FACILITATOR_LOCK } from '../../../../../shared/documentLayout'
import { isLanguage } from '../../../../../shared/languages'
import {
  aggregate,
  axisAtAngle,
  calendarDate,
  clampAxisCount,
  exampleLabelWrites,
  freezeRound,
  ghostRound,
  labelKey,
  labelsAreExample,
  nameKey,
  nameKeys,
  ownValues,
  readLabels,
  readResponses,
  readRounds,
  scoreAtRadius,
} from '../../../../../shared/radar'
import './radar.css'
import { layoutIn, RADAR_COLORS, RadarChart } from './RadarChart'
import { AxesTab, LegendItem, RoundsTab, ScoreTab, SettingsTab } from './RadarPanel'
import { useRadarViewer } from './radarContext'
import type { TLRadarShape } from './RadarShapeUtil'
import { panelWidth } from './RadarShapeUtil'
import { scoreChange, writeRadar } from './radarWrites'

type Tab = 'score' | 'axes' | 'rounds' | 'settings'

const stop = (event: { stopPropagation(): void }) => event.stopPropagation()


/** The radar's canvas component. */
export function RadarShape({ shape }: { shape: TLRadarShape }) {
  const editor = useEditor()
  const viewer = useRadarViewer()
  const { t, i18n } = useTranslation()
  const boardReadOnly = useValue('readonly', () => editor.getIsReadonly(), [editor])
  // A facilitator may lock the radar for participants (scoring closed); the server would undo their changes.
  const lockedForMe = shape.meta[FACILITATOR_LOCK] === true && !viewer?.canFacilitate
  const readOnly = boardReadOnly || lockedForMe
  const { w, h, axisCount, maxScore, spread, round, showNames, title } = shape.props
  const side = panelWidth(w)
  const layout = useMemo(() => layoutIn(w - side, h, axisCount), [w, side, h, axisCount])
  const responses = useMemo(() => readResponses(shape.meta, shape.props), [shape.meta, shape.props])
  const stats = useMemo(() => aggregate(responses, axisCount), [responses, axisCount])
  const labels = useMemo(() => readLabels(shape.meta, axisCount), [shape.meta, axisCount])
  const rounds = useMemo(() => readRounds(shape.meta), [shape.meta])
  const own = useMemo(() => (viewer ? ownValues(shape.meta, viewer.respondentId, shape.props) : undefined), [viewer, shape.meta, shape.props])
  const [compareWith, setCompareWith] = useState<number | null>(null)
  const ghost = (compareWith !== null ? rounds.find((r) => r.round === compareWith && r.round < round) : undefined) ?? ghostRound(rounds, round)
  const drawnGhost = ghost && ghost.axes.length === axisCount ? ghost : undefined
  const [tab, setTab] = useState<Tab>('score')
  const [focusedAxis, setFocusedAxis] = useState<number | null>(null)
  const svgRef = useRef<SVGSVGElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const canScore = Boolean(viewer) && !readOnly

  /** Sets (or with null clears) this viewer's score on one axis, reading the freshest record. */
  function setScore(axis: number, score: number | null) {
    if (!viewer || readOnly) return
    const current = editor.getShape<TLRadarShape>(shape.id)
    if (current) contribute(scoreChange(current, viewer, axis, score).meta ?? {})
  }

  /** Writes the viewer's own keys: through the contribution writer where there is one (a board), else the store. */
  function contribute(meta: Record<string, unknown>) {
    if (readOnly) return
    if (viewer?.contributions?.write(shape.id, meta)) return
    writeRadar(editor, shape.id, { meta })
  }

  // Names follow the setting: each browser adds or removes only its own name.
  useEffect(() => {
    if (!viewer || readOnly) return
    const key = nameKey(viewer.respondentId)
    const stored = shape.meta[key]
    const hasScores = own?.some((v) => v !== null) ?? false
    if (!showNames && stored !== undefined) contribute({ [key]: undefined })
    else if (showNames && hasScores && stored !== viewer.displayName) contribute({ [key]: viewer.displayName })
    // contribute only closes over what is listed here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editor, viewer, readOnly, showNames, shape.id, shape.meta, own])

  function toChart(clientX: number, clientY: number): { x: number; y: number } | null {
    const matrix = svgRef.current?.getScreenCTM()
    if (!matrix) return null
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse())
    return { x: point.x, y: point.y }
  }

  function onAxisPointerDown(hint: number, event: ReactPointerEvent<SVGElement>) {
    if (!canScore || event.button !== 0) return
    event.stopPropagation()
    event.preventDefault()
    const start = toChart(event.clientX, event.clientY)
    if (!start) return
    const dx = start.x - layout.cx
    const dy = start.y - layout.cy
    const axis = Math.hypot(dx, dy) < 10 ? hint : axisAtAngle(Math.atan2(dx, -dy), axisCount)
    const angle = (axis * 2 * Math.PI) / axisCount
    let last: number | null = null
    const apply = (clientX: number, clientY: number) => {
      const p = toChart(clientX, clientY)
      if (!p) return
      const along = ((p.x - layout.cx) * Math.sin(angle) - (p.y - layout.cy) * Math.cos(angle)) / layout.radius
      const score = scoreAtRadius(along, maxScore)
      if (score !== last) setScore(axis, score)
      last = score
    }
    apply(event.clientX, event.clientY)
    const win = event.currentTarget.ownerDocument.defaultView ?? window
    const move = (e: PointerEvent) => {
      if (e.pointerId !== event.pointerId) return
      e.stopPropagation()
      apply(e.clientX, e.clientY)
    }
    const up = (e: PointerEvent) => {
      if (e.pointerId !== event.pointerId) return
      win.removeEventListener('pointermove', move, true)
      win.removeEventListener('pointerup', up, true)
      win.removeEventListener('pointercancel', up, true)
    }
    win.addEventListener('pointermove', move, true)
    win.addEventListener('pointerup', up, true)
    win.addEventListener('pointercancel', up, true)
  }

  // tldraw zooms on wheel events from its container; a panel that has more to show scrolls instead.
  // A native listener, because React's runs only after the event passed tldraw's container.
  useEffect(() => {
    const panel = panelRef.current
    if (!panel) return
    const onWheel = (event: WheelEvent) => {
      if (panel.scrollHeight > panel.clientHeight && !event.ctrlKey) event.stopPropagation()
    }
    panel.addEventListener('wheel', onWheel, { passive: true })
    return () => panel.removeEventListener('wheel', onWheel)
  }, [])

  const chartWidth = w - side
  const ownScored = own?.some((v) => v !== null) ?? false
  const isExample = labelsAreExample(labels)
  const placeholder = (i: number) => t('radar.axisPlaceholder', { n: i + 1 })

  return (
    <div
      className="radar"
      data-testid="radar"
      data-shape-id={shape.id}
      data-respondents={stats.respondents}
      data-medians={JSON.stringify(stats.axes.map((a) => a.median))}
      data-own={own ? JSON.stringify(own) : undefined}
      data-round={round}
      data-ghost-round={drawnGhost?.round}
      style={{ width: w, height: h }}
    >
      <svg ref={svgRef} className="radar-chart" width={chartWidth} height={h} viewBox={`0 0 ${chartWidth} ${h}`} aria-hidden="true">
        <RadarChart
          layout={layout}
          maxScore={maxScore}
          labels={labels}
          placeholder={placeholder}
          aggregate={stats}
          spread={spread}
          own={own}
          ghost={drawnGhost}
          focusedAxis={focusedAxis}
          onAxisPointerDown={canScore ? onAxisPointerDown : undefined}
        />
      </svg>
      <div
        ref={panelRef}
        className="radar-panel"
        style={{ width: side, height: h }}
        onPointerDown={stop}
        onPointerUp={stop}
        onDoubleClick={stop}
        onKeyDown={stop}
        onKeyUp={stop}
      >
        <h3 className="radar-title">{title || t('radar.name')}</h3>
        <p className="radar-count" data-testid="radar-respondents" data-count={stats.respondents}>
          {t('radar.respondents', { count: stats.respondents })}
        </p>
        <p className="radar-privacy">{lockedForMe ? t('radar.lockedByFacilitator') : readOnly ? t('radar.readOnly') : showNames ? t('radar.named') : t('radar.anonymous')}</p>
        <ul className="radar-legend">
          {ownScored && <LegendItem color={RADAR_COLORS.own} label={t('radar.legendYou')} />}
          <LegendItem color={RADAR_COLORS.median} label={t('radar.legendMedian')} />
          <LegendItem color={RADAR_COLORS.band} label={spread === 'iqr' ? t('radar.legendIqr') : t('radar.legendRange')} band />
          {drawnGhost && <LegendItem color={RADAR_COLORS.ghost} label={t('radar.legendGhost', { label: drawnGhost.label, date: drawnGhost.date })} dashed />}
        </ul>
        {ghost && !drawnGhost && <p className="radar-note">{t('radar.ghostAxesDiffer', { count: ghost.axes.length })}</p>}
        {isExample && (
          <p className="radar-example" data-testid="radar-example-labels">
            {t('radar.exampleBanner')}
          </p>
        )}
        <div className="radar-tabs" role="tablist">
          {(['score', 'axes', 'rounds', 'settings'] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              data-testid={`radar-tab-${name}`}
              className={tab === name ? 'radar-tab radar-tab--active' : 'radar-tab'}
              onClick={() => setTab(name)}
            >
              {t(`radar.tab${name[0].toUpperCase()}${name.slice(1)}` as 'radar.tabScore')}
            </button>
          ))}
        </div>
        <div className="radar-tabpanel" role="tabpanel">
          {tab === 'score' && (
            <ScoreTab
              labels={labels}
              placeholder={placeholder}
              own={own ?? labels.map(() => null)}
              axes={stats.axes}
              maxScore={maxScore}
              disabled={!canScore}
              onScore={setScore}
              onFocusAxis={setFocusedAxis}
              names={showNames ? responses : undefined}
            />
          )}
          {tab === 'axes' && (
            <AxesTab
              key={shape.id}
              title={title}
              labels={labels}
              axisCount={axisCount}
              disabled={readOnly}
              onTitle={(value) => writeRadar(editor, shape.id, { props: { title: value } })}
              onLabel={(axis, value) => writeRadar(editor, shape.id, { meta: { [labelKey(axis)]: value } })}
              onAxisCount={(n) => writeRadar(editor, shape.id, { props: { axisCount: clampAxisCount(n) } })}
              onExamples={() => {
                const language = isLanguage(i18n.language) ? i18n.language : 'en'
                writeRadar(editor, shape.id, { meta: exampleLabelWrites(language, axisCount) })
              }}
            />
          )}
          {tab === 'rounds' && (
            <RoundsTab
              round={round}
              respondents={stats.respondents}
              rounds={rounds}
              ghostRound={drawnGhost?.round ?? null}
              disabled={readOnly}
              onCompare={setCompareWith}
              onFreeze={(label) => {
                const current = editor.getShape<TLRadarShape>(shape.id)
                if (!current) return
                const frozen = freezeRound(current.meta, current.props, label, calendarDate(new Date()))
                writeRadar(editor, shape.id, frozen)
                setCompareWith(null)
              }}
            />
          )}
          {tab === 'settings' && (
            <SettingsTab
              spread={spread}
              showNames={showNames}
              disabled={readOnly}
              namesLocked={!viewer?.canFacilitate}
              onSpread={(value) => writeRadar(editor, shape.id, { props: { spread: value } })}
              onShowNames={(on) => {
                const current = editor.getShape<TLRadarShape>(shape.id)
                if (!current) return
                // Off: every stored name goes, in the same change.
                const meta = on ? {} : Object.fromEntries(nameKeys(current.meta).map((key) => [key, undefined]))
                writeRadar(editor, shape.id, { props: { showNames: on }, meta })
              }}
            />
          )}
        </div>
      </div>
    </div>
  )
}

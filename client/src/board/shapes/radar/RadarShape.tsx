/**
 * The radar on the canvas: the chart (score by clicking or dragging along an
 * axis) and a side panel with the group's count, a legend and four tabs:
 * scoring with the keyboard, the axes, the rounds and the settings. Every
 * change goes through writeRadar and touches only its own keys.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react'
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
  MAX_AXES,
  MAX_LABEL_LENGTH,
  MIN_AXES,
  nameKey,
  nameKeys,
  ownValues,
  readLabels,
  readResponses,
  readRounds,
  scoreAtRadius,
  type AxisStats,
  type SpreadMode,
} from '../../../../../shared/radar'
import './radar.css'
import { formatScore, layoutIn, RADAR_COLORS, RadarChart } from './RadarChart'
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

function LegendItem({ color, label, dashed, band }: { color: string; label: string; dashed?: boolean; band?: boolean }) {
  return (
    <li>
      <svg width={26} height={12} aria-hidden="true">
        {band ? (
          <rect x={0} y={1} width={26} height={10} fill={color} fillOpacity={0.35} />
        ) : (
          <line x1={0} y1={6} x2={26} y2={6} stroke={color} strokeWidth={dashed ? 2 : 4} strokeDasharray={dashed ? '6 4' : undefined} />
        )}
      </svg>
      <span>{label}</span>
    </li>
  )
}

interface ScoreTabProps {
  labels: string[]
  placeholder(axis: number): string
  own: (number | null)[]
  axes: AxisStats[]
  maxScore: number
  disabled: boolean
  onScore(axis: number, score: number | null): void
  onFocusAxis(axis: number | null): void
  /** Present only when the radar shows names. */
  names?: { respondentId: string; name?: string; values: (number | null)[] }[]
}

function ScoreTab({ labels, placeholder, own, axes, maxScore, disabled, onScore, onFocusAxis, names }: ScoreTabProps) {
  const { t, i18n } = useTranslation()
  return (
    <div className="radar-score">
      <p className="radar-help">{t('radar.scoreIntro', { max: maxScore })}</p>
      <ol className="radar-axes">
        {labels.map((label, axis) => (
          <li key={axis}>
            <span className={label ? 'radar-axis-name' : 'radar-axis-name radar-axis-name--empty'}>{label || placeholder(axis)}</span>
            <ScoreSlider
              axis={axis}
              label={label || placeholder(axis)}
              value={own[axis] ?? null}
              maxScore={maxScore}
              disabled={disabled}
              onChange={(score) => onScore(axis, score)}
              onFocus={() => onFocusAxis(axis)}
              onBlur={() => onFocusAxis(null)}
            />
            <span className="radar-group-value" data-testid="radar-axis-median" data-axis={axis} data-median={axes[axis]?.median ?? ''}>
              {axes[axis]?.median !== null && axes[axis]?.median !== undefined
                ? t('radar.groupValue', { median: formatScore(axes[axis].median as number, i18n.language), count: axes[axis].n })
                : t('radar.groupNone')}
            </span>
          </li>
        ))}
      </ol>
      {own.some((v) => v !== null) && !disabled && (
        <button type="button" className="radar-link" onClick={() => own.forEach((v, axis) => v !== null && onScore(axis, null))}>
          {t('radar.clearMine')}
        </button>
      )}
      {names && (
        <div className="radar-names" data-testid="radar-names">
          <h4>{t('radar.namesHeading')}</h4>
          <table>
            <tbody>
              {names.map((r) => (
                <tr key={r.respondentId}>
                  <th scope="row">{r.name ?? t('radar.noName')}</th>
                  {r.values.map((v, i) => (
                    <td key={i}>{v ?? '–'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

interface ScoreSliderProps {
  axis: number
  label: string
  value: number | null
  maxScore: number
  disabled: boolean
  onChange(score: number | null): void
  onFocus(): void
  onBlur(): void
}

/** One axis's score: a focusable slider (arrow keys, Home/End, Delete clears) drawn as clickable pips. */
function ScoreSlider({ axis, label, value, maxScore, disabled, onChange, onFocus, onBlur }: ScoreSliderProps) {
  const { t } = useTranslation()
  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    let next: number | null | undefined
    if (event.key === 'ArrowRight' || event.key === 'ArrowUp') next = Math.min(maxScore, (value ?? 0) + 1)
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') next = Math.max(1, (value ?? 2) - 1)
    else if (event.key === 'Home') next = 1
    else if (event.key === 'End') next = maxScore
    else if (event.key === 'Delete' || event.key === 'Backspace') next = null
    else if (/^[0-9]$/.test(event.key) && Number(event.key) >= 1 && Number(event.key) <= maxScore) next = Number(event.key)
    if (next === undefined) return
    event.preventDefault()
    event.stopPropagation()
    if (next !== value) onChange(next)
  }
  return (
    <button
      type="button"
      role="slider"
      className="radar-slider"
      data-testid="radar-slider"
      data-axis={axis}
      aria-label={label}
      aria-valuemin={1}
      aria-valuemax={maxScore}
      aria-valuenow={value ?? undefined}
      aria-valuetext={value === null ? t('radar.notScored') : t('radar.sliderValue', { value, max: maxScore })}
      aria-disabled={disabled || undefined}
      onKeyDown={disabled ? undefined : onKeyDown}
      onFocus={onFocus}
      onBlur={onBlur}
      onClick={(event) => {
        if (disabled) return
        const pip = (event.target as HTMLElement).closest<HTMLElement>('[data-pip]')
        if (pip) onChange(Number(pip.dataset.pip))
      }}
    >
      {Array.from({ length: maxScore }, (_, i) => (
        <span key={i} data-pip={i + 1} className={value !== null && i + 1 <= value ? 'radar-pip radar-pip--on' : 'radar-pip'}>
          {i + 1}
        </span>
      ))}
    </button>
  )
}

/** A text field that commits on Enter or when focus leaves, so others are not interrupted mid-word. */
function CommitInput({ value, onCommit, label, placeholder, disabled, testId }: { value: string; onCommit(value: string): void; label: string; placeholder?: string; disabled: boolean; testId?: string }) {
  const [draft, setDraft] = useState(value)
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    if (!editing) setDraft(value)
  }, [value, editing])
  const commit = () => {
    setEditing(false)
    const next = draft.trim().slice(0, MAX_LABEL_LENGTH * 3)
    if (next !== value) onCommit(next)
  }
  return (
    <input
      type="text"
      className="radar-input"
      aria-label={label}
      placeholder={placeholder}
      value={draft}
      disabled={disabled}
      data-testid={testId}
      maxLength={MAX_LABEL_LENGTH}
      onFocus={() => setEditing(true)}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') (event.target as HTMLInputElement).blur()
        if (event.key === 'Escape') {
          setDraft(value)
          setEditing(false)
        }
      }}
    />
  )
}

interface AxesTabProps {
  title: string
  labels: string[]
  axisCount: number
  disabled: boolean
  onTitle(value: string): void
  onLabel(axis: number, value: string): void
  onAxisCount(n: number): void
  onExamples(): void
}

function AxesTab({ title, labels, axisCount, disabled, onTitle, onLabel, onAxisCount, onExamples }: AxesTabProps) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState(false)
  return (
    <div className="radar-axes-tab">
      <label className="radar-field">
        <span>{t('radar.title')}</span>
        <CommitInput value={title} onCommit={onTitle} label={t('radar.title')} placeholder={t('radar.titlePlaceholder')} disabled={disabled} />
      </label>
      <div className="radar-stepper">
        <span>{t('radar.axisCount')}</span>
        <button type="button" aria-label={t('radar.fewerAxes')} disabled={disabled || axisCount <= MIN_AXES} onClick={() => onAxisCount(axisCount - 1)}>
          −
        </button>
        <output data-testid="radar-axis-count">{axisCount}</output>
        <button type="button" aria-label={t('radar.moreAxes')} disabled={disabled || axisCount >= MAX_AXES} onClick={() => onAxisCount(axisCount + 1)}>
          +
        </button>
      </div>
      <ol className="radar-label-list">
        {labels.map((label, axis) => (
          <li key={axis}>
            <CommitInput value={label} onCommit={(value) => onLabel(axis, value)} label={t('radar.axisLabel', { n: axis + 1 })} placeholder={t('radar.axisPlaceholder', { n: axis + 1 })} disabled={disabled} testId="radar-label-input" />
          </li>
        ))}
      </ol>
      {confirming ? (
        <div className="radar-confirm">
          <p>{t('radar.replaceWithExamples')}</p>
          <button
            type="button"
            onClick={() => {
              setConfirming(false)
              onExamples()
            }}
          >
            {t('radar.replace')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('radar.cancel')}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="radar-link"
          data-testid="radar-load-examples"
          disabled={disabled}
          onClick={() => (labels.some(Boolean) ? setConfirming(true) : onExamples())}
        >
          {t('radar.loadExamples')}
        </button>
      )}
    </div>
  )
}

interface RoundsTabProps {
  round: number
  respondents: number
  rounds: ReturnType<typeof readRounds>
  ghostRound: number | null
  disabled: boolean
  onCompare(round: number): void
  onFreeze(label: string): void
}

function RoundsTab({ round, respondents, rounds, ghostRound: shown, disabled, onCompare, onFreeze }: RoundsTabProps) {
  const { t } = useTranslation()
  const [label, setLabel] = useState('')
  const [confirming, setConfirming] = useState(false)
  const finalLabel = label.trim() || t('radar.roundDefault', { n: round })
  return (
    <div className="radar-rounds">
      <p>{t('radar.roundOpen', { n: round })}</p>
      <label className="radar-field">
        <span>{t('radar.roundLabel')}</span>
        <input
          type="text"
          className="radar-input"
          data-testid="radar-round-label"
          value={label}
          placeholder={t('radar.roundDefault', { n: round })}
          maxLength={MAX_LABEL_LENGTH}
          disabled={disabled}
          onChange={(event) => setLabel(event.target.value)}
        />
      </label>
      {confirming ? (
        <div className="radar-confirm">
          <p>{t('radar.freezeConfirm', { label: finalLabel, count: respondents })}</p>
          <button
            type="button"
            data-testid="radar-freeze-confirm"
            onClick={() => {
              setConfirming(false)
              setLabel('')
              onFreeze(finalLabel)
            }}
          >
            {t('radar.freezeYes')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('radar.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" data-testid="radar-freeze" disabled={disabled} onClick={() => setConfirming(true)}>
          {t('radar.freeze')}
        </button>
      )}
      <h4>{t('radar.roundsHeading')}</h4>
      {rounds.length === 0 ? (
        <p className="radar-note">{t('radar.noRounds')}</p>
      ) : (
        <ul className="radar-round-list" data-testid="radar-rounds">
          {rounds
            .slice()
            .reverse()
            .map((r) => (
              <li key={r.round} data-round={r.round}>
                <span>{t('radar.roundItem', { label: r.label, date: r.date, count: r.respondents })}</span>
                {shown === r.round ? (
                  <em>{t('radar.comparing')}</em>
                ) : (
                  <button type="button" className="radar-link" onClick={() => onCompare(r.round)}>
                    {t('radar.compare')}
                  </button>
                )}
              </li>
            ))}
        </ul>
      )}
    </div>
  )
}

interface SettingsTabProps {
  spread: SpreadMode
  showNames: boolean
  disabled: boolean
  /** Only a facilitator switches names on or off. */
  namesLocked: boolean
  onSpread(value: SpreadMode): void
  onShowNames(on: boolean): void
}

function SettingsTab({ spread, showNames, disabled, namesLocked, onSpread, onShowNames }: SettingsTabProps) {
  const { t } = useTranslation()
  const group = useId()
  return (
    <div className="radar-settings">
      <fieldset>
        <legend>{t('radar.spread')}</legend>
        {(['iqr', 'range'] as const).map((value) => (
          <label key={value}>
            <input type="radio" name={group} checked={spread === value} disabled={disabled} onChange={() => onSpread(value)} />
            {value === 'iqr' ? t('radar.spreadIqr') : t('radar.spreadRange')}
          </label>
        ))}
      </fieldset>
      <label className="radar-check">
        <input type="checkbox" data-testid="radar-show-names" checked={showNames} disabled={disabled || namesLocked} onChange={(event) => onShowNames(event.target.checked)} />
        {t('radar.showNames')}
      </label>
      <p className="radar-help">{t('radar.showNamesHelp')}</p>
      {namesLocked && !disabled && <p className="radar-note">{t('radar.namesFacilitatorOnly')}</p>}
    </div>
  )
}

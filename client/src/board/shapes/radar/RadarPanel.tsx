/**
 * The radar's side panel, piece by piece: the legend, and the four tabs
 * (scoring with the keyboard, the axes, the rounds, the settings). Pure UI:
 * RadarShape owns the data and passes what each tab may change.
 */
import { useEffect, useId, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_AXES, MAX_LABEL_LENGTH, MIN_AXES, readRounds, type AxisStats, type SpreadMode } from '../../../../../shared/radar'
import { formatScore } from './RadarChart'

/** Part of the radar's panel (see RadarShape). */
export function LegendItem({ color, label, dashed, band }: { color: string; label: string; dashed?: boolean; band?: boolean }) {
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

/** Part of the radar's panel (see RadarShape). */
export function ScoreTab({ labels, placeholder, own, axes, maxScore, disabled, onScore, onFocusAxis, names }: ScoreTabProps) {
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

/** Part of the radar's panel (see RadarShape). */
export function AxesTab({ title, labels, axisCount, disabled, onTitle, onLabel, onAxisCount, onExamples }: AxesTabProps) {
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

/** Part of the radar's panel (see RadarShape). */
export function RoundsTab({ round, respondents, rounds, ghostRound: shown, disabled, onCompare, onFreeze }: RoundsTabProps) {
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

/** Part of the radar's panel (see RadarShape). */
export function SettingsTab({ spread, showNames, disabled, namesLocked, onSpread, onShowNames }: SettingsTabProps) {
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

/**
 * The agenda: the core group prepares the steps (title, duration, frame,
 * plenary or breakout, instructions in each language), the facilitator runs
 * them. Everyone sees the steps with their times in their own time zone and,
 * for the running step, its instructions in their language; advancing takes
 * everyone to the step's frame (or their group's copy) and starts its timer.
 */
import { FloatingPanel } from '../app/FloatingPanel'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import type { Role } from '../../../shared/access'
import {
  changeAgenda,
  instructionsFor,
  MAX_AGENDA_STEPS,
  startPlanned,
  stepAdded,
  stepEdited,
  stepMoved,
  stepRemoved,
  stepStarted,
  stepTimes,
  type Agenda,
  type StepFields,
} from '../../../shared/agenda'
import { groupOf, type Breakouts } from '../../../shared/breakouts'
import { getSessionMap } from '../../../shared/documentLayout'
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../shared/languages'
import { SessionKeys, setTimer, startTimer } from '../../../shared/session'
import { useSelectedFrameId } from './voting'
import { showFrame } from './breakoutFrames'
import { serverNow, toLocalTime } from './serverClock'

/**
 * Runs step `stepId` (null ends the agenda) and starts its timer, in one
 * transaction. Only the running-step entry and the timer are written, so a
 * step edited meanwhile on another screen keeps its edit.
 */
function runStep(doc: Y.Doc, stepId: string | null, minutes: number): void {
  doc.transact(() => {
    const now = serverNow()
    changeAgenda(doc, (agenda) => stepStarted(agenda, stepId, now))
    if (stepId !== null && minutes > 0) getSessionMap(doc).set(SessionKeys.timer, startTimer(setTimer(minutes * 60_000), now))
  })
}

function newStepId(): string {
  return Math.random().toString(36).slice(2, 10)
}

function useTimeFormat() {
  const { i18n } = useTranslation()
  const format = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', { hour: '2-digit', minute: '2-digit' })
  return (serverTime: number) => format.format(new Date(toLocalTime(serverTime)))
}

/** The running step, for everyone: title and instructions in their language. */
export function AgendaStepBanner({ agenda, language }: { agenda: Agenda; language: Language }) {
  const { t } = useTranslation()
  const time = useTimeFormat()
  if (agenda.current === null) return null
  const step = agenda.steps[agenda.current]
  const instructions = instructionsFor(step, language)
  const times = stepTimes(agenda)[agenda.current]
  return (
    <div className="banner banner--info agenda-banner" role="status" data-testid="agenda-step" data-step={step.id}>
      <strong>
        {t('agenda.stepOf', { n: agenda.current + 1, total: agenda.steps.length })}: {step.title}
      </strong>
      {times && <span className="agenda-banner__time"> ({time(times.start)}–{time(times.end)})</span>}
      {instructions && (
        <p className="agenda-banner__text" data-testid="agenda-instructions" lang={instructions.language}>
          {instructions.text}
          {instructions.language !== language && <em> ({t('agenda.inLanguage', { language: LANGUAGE_NAMES[instructions.language] })})</em>}
        </p>
      )}
    </div>
  )
}

/** Takes this person to the running step's frame, or their group's copy of it, once per step start. */
export function useAgendaMoves(editor: Editor | null, agenda: Agenda, breakouts: Breakouts | undefined, myUserId: string): void {
  const handled = useRef<string | null>(null)
  const step = agenda.current === null ? undefined : agenda.steps[agenda.current]
  const target =
    step?.mode === 'breakout' && breakouts?.status === 'running' ? (groupOf(breakouts, myUserId)?.frameId ?? step.frameId) : (step?.frameId ?? null)
  const ready = useValue('agenda frame here', () => (target && editor ? editor.getShape(target as TLShapeId) !== undefined : false), [editor, target])
  useEffect(() => {
    if (!editor || !step || !target || !ready) return
    const key = `${step.id}:${agenda.currentSince}:${target}`
    if (handled.current === key) return
    handled.current = key
    showFrame(editor, target)
  }, [editor, step, target, ready, agenda.currentSince])
}

/** The agenda panel: everyone reads it; facilitators prepare and run it. */
export function AgendaPanel({ doc, editor, agenda, role, onClose }: { doc: Y.Doc; editor: Editor | null; agenda: Agenda; role: Role; onClose: () => void }) {
  const { t } = useTranslation()
  const time = useTimeFormat()
  const times = stepTimes(agenda)
  const canEdit = role === 'facilitator'
  const [open, setOpen] = useState<string | null>(null)
  // Each change writes only the keys it touches (shared/agenda.ts), so edits made elsewhere meanwhile merge.
  const updateStep = (id: string, change: Partial<StepFields>) => changeAgenda(doc, (current) => stepEdited(current, id, change))
  const selectedFrame = useSelectedFrameId(editor)
  const startValue = agenda.startsAt === null ? '' : toDateTimeLocal(toLocalTime(agenda.startsAt))
  const go = (index: number | null) => {
    const step = index === null ? undefined : agenda.steps[index]
    runStep(doc, step?.id ?? null, step?.minutes ?? 0)
  }

  return (
    <FloatingPanel className="agenda-panel" testId="agenda-panel" heading={t('agenda.heading')} onClose={onClose}>
      {canEdit && (
        <div className="facilitator-panel__row">
          <label htmlFor="agenda-start">{t('agenda.startsAt')}</label>
          <input
            id="agenda-start"
            type="datetime-local"
            data-testid="agenda-start"
            value={startValue}
            onChange={(e) => {
              const local = e.target.value ? new Date(e.target.value).getTime() : NaN
              changeAgenda(doc, () => startPlanned(Number.isFinite(local) ? local + (serverNow() - Date.now()) : null))
            }}
          />
        </div>
      )}
      {agenda.steps.length === 0 && <p className="facilitator-panel__hint">{canEdit ? t('agenda.emptyFacilitator') : t('agenda.empty')}</p>}
      <ol className="agenda-steps">
        {agenda.steps.map((step, i) => (
          <li key={step.id} className={agenda.current === i ? 'agenda-step agenda-step--current' : 'agenda-step'} data-testid="agenda-item" data-step={step.id}>
            <div className="agenda-step__line">
              <span className="agenda-step__time" data-testid="agenda-time">
                {times[i] ? `${time(times[i]!.start)}–${time(times[i]!.end)}` : t('agenda.minutes', { count: step.minutes })}
              </span>
              <span className="agenda-step__title">{step.title || t('agenda.untitled')}</span>
              <span className="agenda-step__mode">{step.mode === 'breakout' ? t('agenda.breakout') : t('agenda.plenary')}</span>
            </div>
            {canEdit && (
              <details open={open === step.id} onToggle={(e) => (e.currentTarget.open ? setOpen(step.id) : open === step.id && setOpen(null))}>
                <summary>{t('agenda.edit')}</summary>
                <div className="agenda-step__edit">
                  <label>
                    {t('agenda.title')}
                    <input data-testid="agenda-title" value={step.title} onChange={(e) => updateStep(step.id, { title: e.target.value.slice(0, 200) })} />
                  </label>
                  <label>
                    {t('agenda.duration')}
                    <input data-testid="agenda-minutes" inputMode="numeric" size={4} value={String(step.minutes)} onChange={(e) => updateStep(step.id, { minutes: Math.max(0, Math.min(1440, Number(e.target.value) || 0)) })} />
                  </label>
                  <label>
                    {t('agenda.mode')}
                    <select data-testid="agenda-mode" value={step.mode} onChange={(e) => updateStep(step.id, { mode: e.target.value === 'breakout' ? 'breakout' : 'plenary' })}>
                      <option value="plenary">{t('agenda.plenary')}</option>
                      <option value="breakout">{t('agenda.breakout')}</option>
                    </select>
                  </label>
                  <button type="button" className="button button--small" data-testid="agenda-use-frame" disabled={!selectedFrame} onClick={() => updateStep(step.id, { frameId: selectedFrame })}>
                    {step.frameId ? t('agenda.replaceFrame') : t('agenda.useFrame')}
                  </button>
                  {LANGUAGES.map((l) => (
                    <label key={l}>
                      {t('agenda.instructionsIn', { language: LANGUAGE_NAMES[l] })}
                      <textarea
                        data-testid={`agenda-instructions-${l}`}
                        rows={2}
                        lang={l}
                        value={step.instructions[l] ?? ''}
                        onChange={(e) => updateStep(step.id, { instructions: { [l]: e.target.value.slice(0, 2000) } })}
                      />
                    </label>
                  ))}
                  <div className="facilitator-panel__row">
                    <button type="button" className="button button--small" aria-label={t('agenda.up')} onClick={() => changeAgenda(doc, (current) => stepMoved(current, step.id, -1))} disabled={i === 0}>
                      ↑
                    </button>
                    <button type="button" className="button button--small" aria-label={t('agenda.down')} onClick={() => changeAgenda(doc, (current) => stepMoved(current, step.id, 1))} disabled={i === agenda.steps.length - 1}>
                      ↓
                    </button>
                    <button
                      type="button"
                      className="button button--small button--danger-outline"
                      onClick={() => changeAgenda(doc, (current) => stepRemoved(current, step.id))}
                    >
                      {t('agenda.remove')}
                    </button>
                  </div>
                </div>
              </details>
            )}
          </li>
        ))}
      </ol>
      {canEdit && (
        <div className="facilitator-panel__row">
          <button
            type="button"
            className="button button--small"
            data-testid="agenda-add"
            disabled={agenda.steps.length >= MAX_AGENDA_STEPS}
            onClick={() => {
              const id = newStepId()
              const fields: StepFields = { title: '', minutes: 10, instructions: {}, frameId: selectedFrame, mode: 'plenary' }
              changeAgenda(doc, (current) => stepAdded(current, id, fields))
              setOpen(id)
            }}
          >
            {t('agenda.add')}
          </button>
          {agenda.current === null ? (
            <button type="button" className="button button--small button--primary" data-testid="agenda-begin" disabled={agenda.steps.length === 0} onClick={() => go(0)}>
              {t('agenda.begin')}
            </button>
          ) : (
            <>
              <button type="button" className="button button--small" data-testid="agenda-previous" disabled={agenda.current === 0} onClick={() => go(agenda.current! - 1)}>
                {t('agenda.previous')}
              </button>
              {agenda.current < agenda.steps.length - 1 ? (
                <button type="button" className="button button--small button--primary" data-testid="agenda-next" onClick={() => go(agenda.current! + 1)}>
                  {t('agenda.next')}
                </button>
              ) : (
                <button type="button" className="button button--small" data-testid="agenda-end" onClick={() => go(null)}>
                  {t('agenda.finish')}
                </button>
              )}
            </>
          )}
        </div>
      )}
    </FloatingPanel>
  )
}

function toDateTimeLocal(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/**
 * The shared countdown, in the board header for everyone: minutes and
 * seconds left, when it ends in this person's own time zone, and at zero a
 * visual cue, a spoken announcement for screen readers and a soft chime.
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isRunning, timerRemaining, type TimerState } from '../../../shared/session'
import { serverNow, toLocalTime } from './serverClock'

export function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const mmss = `${String(minutes).padStart(hours ? 2 : 1, '0')}:${String(seconds).padStart(2, '0')}`
  return hours ? `${hours}:${mmss}` : mmss
}

/** Two soft tones; silently nothing where audio is not allowed yet (no gesture on the page). */
function chime(): void {
  try {
    const context = new AudioContext()
    const start = context.currentTime
    for (const [i, frequency] of [660, 880].entries()) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.0001, start + i * 0.35)
      gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.35 + 0.03)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.6)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start + i * 0.35)
      oscillator.stop(start + i * 0.35 + 0.65)
    }
    setTimeout(() => void context.close(), 1500)
  } catch {
    // No audio: the visual cue remains.
  }
}

export function SessionTimer({ timer }: { timer: TimerState | undefined }) {
  const { t, i18n } = useTranslation()
  const [, setTick] = useState(0)
  const chimedFor = useRef<number | null>(null)
  const running = timer !== undefined && isRunning(timer)

  useEffect(() => {
    if (!running) return
    const id = setInterval(() => setTick((n) => n + 1), 250)
    return () => clearInterval(id)
  }, [running])

  const left = timer ? timerRemaining(timer, serverNow()) : 0
  const ended = running && left === 0
  useEffect(() => {
    // Only a countdown this person watched reach zero chimes, once.
    if (ended && timer?.endsAt && chimedFor.current !== timer.endsAt && serverNow() - timer.endsAt < 5_000) {
      chimedFor.current = timer.endsAt
      chime()
    }
  }, [ended, timer?.endsAt])

  if (!timer) return null
  const endTime =
    running && timer.endsAt !== null
      ? new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', { hour: '2-digit', minute: '2-digit' }).format(new Date(toLocalTime(timer.endsAt)))
      : null
  return (
    <div
      className={`session-timer${ended ? ' session-timer--ended' : ''}${running ? '' : ' session-timer--paused'}`}
      role="timer"
      aria-label={t('session.timer.label')}
      data-testid="session-timer"
      data-running={running || undefined}
      data-remaining-seconds={Math.ceil(left / 1000)}
    >
      <span className="session-timer__time">{formatDuration(left)}</span>
      {endTime && !ended && <span className="session-timer__end">{t('session.timer.endsAt', { time: endTime })}</span>}
      {!running && left > 0 && <span className="session-timer__end">{t('session.timer.paused')}</span>}
      <span className="visually-hidden" aria-live="assertive">
        {ended ? t('session.timer.ended') : ''}
      </span>
      {ended && <span className="session-timer__end">{t('session.timer.ended')}</span>}
    </div>
  )
}

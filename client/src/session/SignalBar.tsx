/**
 * Raise a hand and react, for everyone on the board; and, on the canvas, who
 * has a hand up or just reacted (in the order hands went up), so a
 * facilitator sees quiet voices without opening the people list.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Awareness } from 'y-protocols/awareness'
import type { Person } from '../board/usePeople'
import { serverNow } from './serverClock'
import { handIsUp, REACTION_EMOJI, REACTION_MS, REACTIONS, readSignal, setOwnSignal } from './signals'

export function SignalBar({ awareness, people, handsClearedAt }: { awareness: Awareness; people: Person[]; handsClearedAt: number }) {
  const { t } = useTranslation()
  const me = people.find((p) => p.isSelf)
  const myHandUp = me ? handIsUp(me.signal, handsClearedAt) : false
  // "Lower all hands" lowers ours too.
  useEffect(() => {
    const own = readSignal(awareness.getLocalState())
    if (own.hand !== null && own.hand <= handsClearedAt) setOwnSignal(awareness, { hand: null })
  }, [awareness, handsClearedAt])
  // Reactions fade: re-render while one is showing.
  const [, setTick] = useState(0)
  const showing = people.some((p) => p.signal.reaction && serverNow() - p.signal.reaction.at < REACTION_MS)
  useEffect(() => {
    if (!showing) return
    const id = setInterval(() => setTick((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [showing])

  const hands = people.filter((p) => handIsUp(p.signal, handsClearedAt)).sort((a, b) => a.signal.hand! - b.signal.hand!)
  const reactions = people.filter((p) => p.signal.reaction && serverNow() - p.signal.reaction.at < REACTION_MS)
  return (
    <>
      <div className="signal-bar" role="toolbar" aria-label={t('session.signals.label')} data-testid="signal-bar">
        <button
          type="button"
          className="button button--small"
          data-testid="raise-hand"
          aria-pressed={myHandUp}
          onClick={() => setOwnSignal(awareness, { hand: myHandUp ? null : serverNow() })}
        >
          ✋ {myHandUp ? t('session.hands.lower') : t('session.hands.raise')}
        </button>
        {REACTIONS.map((kind) => (
          <button
            key={kind}
            type="button"
            className="button button--small signal-bar__reaction"
            data-testid={`react-${kind}`}
            aria-label={t(`session.reactions.${kind}`)}
            title={t(`session.reactions.${kind}`)}
            onClick={() => setOwnSignal(awareness, { reaction: { kind, at: serverNow() } })}
          >
            {REACTION_EMOJI[kind]}
          </button>
        ))}
      </div>
      {(hands.length > 0 || reactions.length > 0) && (
        <ul className="signal-feed" aria-live="polite" data-testid="signal-feed">
          {hands.map((p) => (
            <li key={`hand-${p.userId}`} data-testid="signal-hand" data-name={p.name}>
              ✋ {t('session.hands.whoRaised', { name: p.name })}
            </li>
          ))}
          {reactions.map((p) => (
            <li key={`reaction-${p.userId}-${p.signal.reaction!.at}`} data-testid="signal-reaction" data-name={p.name} data-kind={p.signal.reaction!.kind}>
              {REACTION_EMOJI[p.signal.reaction!.kind]} {p.name}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

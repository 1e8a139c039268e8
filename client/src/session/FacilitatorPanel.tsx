/**
 * The facilitator's controls, in one panel participants never see: timer,
 * bring everyone here, follow me, spotlight, lock for participants, lower all
 * hands, viewers' cursors. Everything is written to the session state (or the
 * shapes' lock marks) and reaches everyone live; the server refuses the same
 * writes from anyone who is not a facilitator.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor } from 'tldraw'
import type * as Y from 'yjs'
import { addMinute, isRunning, pauseTimer, resetTimer, SessionKeys, setTimer, startTimer, timerRemaining } from '../../../shared/session'
import { errorMessage } from '../api/errorMessage'
import { finishVote, revealPrivateNotes, startVote, type CallError } from '../api/http'
import { PRIVATE_MODE_KEY } from '../../../shared/privateMode'
import { isFacilitatorLocked, setFacilitatorLock } from './facilitatorLock'
import { voteItemsForSelection } from './voting'
import { BreakoutControls } from './Breakouts'
import type { Person } from '../board/usePeople'
import { serverNow } from './serverClock'
import { ownSummons } from './useSessionEffects'
import { writeSession, type SessionState } from './useSession'

export function FacilitatorPanel({
  doc,
  editor,
  session,
  me,
  onDone,
  boardId,
  boardKey,
  people,
}: {
  people: Person[]
  boardId: string
  boardKey: string
  doc: Y.Doc
  editor: Editor | null
  session: SessionState
  me: { userId: string; name: string }
  onDone: (message: string) => void
}) {
  const { t } = useTranslation()
  // Say why, in the person's language (storage full, link replaced, ...), not only that it failed.
  const failed = (error: CallError) => `${t('voting.failed')} ${errorMessage(t, error)}`
  const [minutes, setMinutes] = useState('5')
  const [perPerson, setPerPerson] = useState('3')
  const [onePerItem, setOnePerItem] = useState(false)
  const [anonymous, setAnonymous] = useState(true)
  const [voteMinutes, setVoteMinutes] = useState('')
  const currentVote = session.votes.at(-1)
  const voteItems = useValue('vote items', () => (editor ? voteItemsForSelection(editor) : []), [editor])
  const timer = session.timer
  const selection = useValue('selected shapes', () => editor?.getSelectedShapes() ?? [], [editor])
  const selectedFrame = selection.length === 1 ? selection[0] : undefined
  const allLocked = selection.length > 0 && selection.every(isFacilitatorLocked)
  const presenting = session.presenter?.userId === me.userId
  const minutesValue = Number(minutes.replace(',', '.'))
  const minutesValid = Number.isFinite(minutesValue) && minutesValue > 0 && minutesValue <= 24 * 60

  return (
    <aside className="facilitator-panel" aria-labelledby="facilitator-heading" data-testid="facilitator-panel">
      <h2 id="facilitator-heading" className="people__heading">
        {t('session.panel.heading')}
      </h2>

      <section className="facilitator-panel__section" aria-label={t('session.timer.label')}>
        <h3>{t('session.timer.label')}</h3>
        <form
          className="facilitator-panel__row"
          onSubmit={(event) => {
            event.preventDefault()
            if (minutesValid) writeSession(doc, SessionKeys.timer, setTimer(minutesValue * 60_000))
          }}
        >
          <label htmlFor="timer-minutes">{t('session.timer.minutes')}</label>
          <input
            id="timer-minutes"
            data-testid="timer-minutes"
            inputMode="decimal"
            value={minutes}
            aria-invalid={!minutesValid || undefined}
            onChange={(event) => setMinutes(event.target.value)}
            size={4}
          />
          <button type="submit" className="button button--small" data-testid="timer-set" disabled={!minutesValid}>
            {t('session.timer.set')}
          </button>
        </form>
        <div className="facilitator-panel__row">
          {timer && isRunning(timer) ? (
            <button type="button" className="button button--small" data-testid="timer-pause" onClick={() => writeSession(doc, SessionKeys.timer, pauseTimer(timer, serverNow()))}>
              {t('session.timer.pause')}
            </button>
          ) : (
            <button
              type="button"
              className="button button--small button--primary"
              data-testid="timer-start"
              onClick={() => writeSession(doc, SessionKeys.timer, startTimer(timer ?? setTimer((minutesValid ? minutesValue : 5) * 60_000), serverNow()))}
            >
              {t('session.timer.start')}
            </button>
          )}
          <button type="button" className="button button--small" data-testid="timer-add-minute" disabled={!timer} onClick={() => timer && writeSession(doc, SessionKeys.timer, addMinute(timer, serverNow()))}>
            {t('session.timer.addMinute')}
          </button>
          <button type="button" className="button button--small" data-testid="timer-reset" disabled={!timer} onClick={() => timer && writeSession(doc, SessionKeys.timer, resetTimer(timer))}>
            {t('session.timer.reset')}
          </button>
          <button type="button" className="button button--small" data-testid="timer-remove" disabled={!timer} onClick={() => writeSession(doc, SessionKeys.timer, undefined)}>
            {t('session.timer.remove')}
          </button>
        </div>
        {timer && <p className="facilitator-panel__hint">{t('session.timer.left', { seconds: Math.ceil(timerRemaining(timer, serverNow()) / 1000) })}</p>}
      </section>

      <section className="facilitator-panel__section">
        <h3>{t('session.panel.attention')}</h3>
        <div className="facilitator-panel__row">
          <button
            type="button"
            className="button button--small"
            data-testid="summon"
            disabled={!editor}
            onClick={() => {
              if (!editor) return
              const center = editor.getViewportPageBounds().center
              const id = `${me.userId}-${serverNow()}`
              ownSummons.add(id)
              writeSession(doc, SessionKeys.summon, { id, at: serverNow(), pageId: editor.getCurrentPageId(), x: center.x, y: center.y, z: editor.getZoomLevel(), by: me.name })
              onDone(t('session.summon.sent'))
            }}
          >
            {t('session.summon.button')}
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="present"
            aria-pressed={presenting}
            onClick={() => writeSession(doc, SessionKeys.presenter, presenting ? undefined : { userId: me.userId, name: me.name, since: serverNow() })}
          >
            {presenting ? t('session.present.stop') : t('session.present.start')}
          </button>
        </div>
        <div className="facilitator-panel__row">
          <button
            type="button"
            className="button button--small"
            data-testid="spotlight-set"
            disabled={!selectedFrame}
            title={selectedFrame ? undefined : t('session.spotlight.selectFirst')}
            onClick={() => selectedFrame && writeSession(doc, SessionKeys.spotlight, { shapeId: selectedFrame.id })}
          >
            {t('session.spotlight.set')}
          </button>
          <button type="button" className="button button--small" data-testid="spotlight-clear" disabled={!session.spotlight} onClick={() => writeSession(doc, SessionKeys.spotlight, undefined)}>
            {t('session.spotlight.clear')}
          </button>
        </div>
      </section>

      <section className="facilitator-panel__section" aria-labelledby="breakouts-heading">
        <h3 id="breakouts-heading">{t('breakouts.heading')}</h3>
        <BreakoutControls doc={doc} editor={editor} people={people} breakouts={session.breakouts} />
      </section>

      <section className="facilitator-panel__section" aria-labelledby="private-heading">
        <h3 id="private-heading">{t('privateMode.heading')}</h3>
        {session.privateMode ? (
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="private-reveal"
            onClick={() =>
              void revealPrivateNotes(boardId, boardKey).then((r) =>
                onDone(r.ok ? t('privateMode.revealed', { count: r.value.revealed, people: r.value.people }) : failed(r.error)),
              )
            }
          >
            {t('privateMode.reveal')}
          </button>
        ) : (
          <button type="button" className="button button--small" data-testid="private-start" onClick={() => writeSession(doc, PRIVATE_MODE_KEY, { since: serverNow() })}>
            {t('privateMode.start')}
          </button>
        )}
        <p className="facilitator-panel__hint">{t('privateMode.hint')}</p>
      </section>

      <section className="facilitator-panel__section" aria-labelledby="voting-heading">
        <h3 id="voting-heading">{t('voting.heading')}</h3>
        {currentVote?.status === 'open' ? (
          <>
            <p className="facilitator-panel__hint" data-testid="vote-open">
              {t('voting.open', { count: currentVote.items.length })}
            </p>
            <div className="facilitator-panel__row">
              <button
                type="button"
                className="button button--small button--primary"
                data-testid="vote-reveal"
                onClick={() => void finishVote(boardId, boardKey, currentVote.id, 'reveal').then((r) => onDone(r.ok ? t('voting.revealed') : failed(r.error)))}
              >
                {t('voting.reveal')}
              </button>
              <button type="button" className="button button--small" data-testid="vote-close" onClick={() => void finishVote(boardId, boardKey, currentVote.id, 'close').then((r) => !r.ok && onDone(failed(r.error)))}>
                {t('voting.close')}
              </button>
            </div>
          </>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault()
              const per = Number(perPerson)
              const duration = Number(voteMinutes.replace(',', '.'))
              void startVote(boardId, boardKey, {
                items: voteItems,
                perPerson: per,
                onePerItem,
                anonymous,
                ...(voteMinutes.trim() && duration > 0 ? { durationMs: duration * 60_000 } : {}),
              }).then((r) => onDone(r.ok ? t('voting.started', { count: voteItems.length }) : failed(r.error)))
            }}
          >
            <div className="facilitator-panel__row">
              <label htmlFor="vote-per-person">{t('voting.perPerson')}</label>
              <input id="vote-per-person" data-testid="vote-per-person" inputMode="numeric" size={3} value={perPerson} onChange={(e) => setPerPerson(e.target.value)} />
            </div>
            <div className="facilitator-panel__row">
              <label htmlFor="vote-minutes">{t('voting.minutes')}</label>
              <input id="vote-minutes" inputMode="decimal" size={3} value={voteMinutes} placeholder="–" onChange={(e) => setVoteMinutes(e.target.value)} />
            </div>
            <label className="facilitator-panel__check">
              <input type="checkbox" checked={onePerItem} onChange={(e) => setOnePerItem(e.target.checked)} data-testid="vote-one-per-item" />
              {t('voting.onePerItemOption')}
            </label>
            <label className="facilitator-panel__check">
              <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} data-testid="vote-anonymous" />
              {t('voting.anonymous')}
            </label>
            <button type="submit" className="button button--small button--primary" data-testid="vote-start" disabled={voteItems.length === 0 || !(Number(perPerson) >= 1)}>
              {t('voting.start', { count: voteItems.length })}
            </button>
            {voteItems.length === 0 && <p className="facilitator-panel__hint">{t('voting.selectFirst')}</p>}
          </form>
        )}
      </section>

      <section className="facilitator-panel__section">
        <h3>{t('session.lock.heading')}</h3>
        <div className="facilitator-panel__row">
          <button
            type="button"
            className="button button--small"
            data-testid="lock-selection"
            disabled={!editor || selection.length === 0}
            onClick={() => {
              if (!editor) return
              const count = setFacilitatorLock(editor, editor.getSelectedShapeIds(), !allLocked)
              onDone(allLocked ? t('session.lock.unlocked', { count }) : t('session.lock.locked', { count }))
            }}
          >
            {allLocked ? t('session.lock.unlock') : t('session.lock.lock')}
          </button>
        </div>
        <p className="facilitator-panel__hint">{t('session.lock.hint')}</p>
      </section>

      <section className="facilitator-panel__section">
        <h3>{t('session.panel.people')}</h3>
        <div className="facilitator-panel__row">
          <button type="button" className="button button--small" data-testid="lower-hands" onClick={() => writeSession(doc, SessionKeys.handsClearedAt, serverNow())}>
            {t('session.hands.lowerAll')}
          </button>
        </div>
        <label className="facilitator-panel__check">
          <input
            type="checkbox"
            data-testid="viewer-presence"
            checked={session.viewerPresence}
            onChange={(event) => writeSession(doc, SessionKeys.viewerPresence, event.target.checked || undefined)}
          />
          {t('session.viewers.show')}
        </label>
      </section>
    </aside>
  )
}

/**
 * Dot voting on the canvas. While a vote is open, each item gets + and −
 * buttons with this person's own count, and a bar says how many votes are
 * left; nobody sees anyone else's votes. Once revealed, each item shows its
 * count as a badge and a ranked list opens, for everyone. The facilitator also
 * sees how many distinct voters took part next to how many people are here,
 * so ballots from more voters than people stand out; in a vote with names a
 * name given by several voters shows how many ("Ana (2)").
 *
 * Ballots go under the voter id the server issued to this browser for the
 * board (session/voting.ts), never an id made up here.
 */
import { FloatingPanel } from '../app/FloatingPanel'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import type { Role } from '../../../shared/access'
import { groupNames, type BallotRefusal, type MyVotes, type Vote } from '../../../shared/voting'
import { castBallot, fetchMyVotes, type CallError } from '../api/http'
import { serverNow } from './serverClock'
import { voterId } from './voting'

/** Viewport positions of the items' top-right corners (re-computed as the camera moves). */
function useAnchors(editor: Editor, ids: string[]): { id: string; x: number; y: number }[] {
  return useValue(
    'vote anchors',
    () =>
      ids.flatMap((id) => {
        const bounds = editor.getShapePageBounds(id as TLShapeId)
        if (!bounds || editor.getShape(id as TLShapeId)?.parentId === undefined) return []
        const point = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
        return [{ id, x: point.x, y: point.y }]
      }),
    [editor, ids.join(',')],
  )
}

export function VotingLayer({
  editor,
  votes,
  role,
  boardId,
  boardKey,
  myName,
  peopleHere,
  onMessage,
}: {
  editor: Editor
  votes: Vote[]
  role: Role
  boardId: string
  boardKey: string
  myName: string
  /** People on the board who may vote (from awareness), shown to the facilitator beside the voters. */
  peopleHere: number
  onMessage: (message: string) => void
}) {
  const { t } = useTranslation()
  const current = votes.at(-1)
  const [mine, setMine] = useState<Record<string, number>>({})
  const [remaining, setRemaining] = useState<number | null>(null)
  const [dismissed, setDismissed] = useState<string | null>(null)
  const [listOpen, setListOpen] = useState(true)
  const open = current?.status === 'open' && (current.endsAt === null || serverNow() < current.endsAt)
  const canVote = open && role !== 'viewer'

  // After a reload: this browser's votes so far.
  useEffect(() => {
    setMine({})
    setRemaining(current ? current.perPerson : null)
    if (!current || role === 'viewer') return
    let live = true
    void (async () => {
      const voter = await voterId(boardId, boardKey)
      if (!voter.ok) return
      const result = await fetchMyVotes(boardId, boardKey, current.id, voter.value)
      if (live && result.ok) {
        setMine(result.value.mine)
        setRemaining(result.value.remaining)
      }
    })()
    return () => {
      live = false
    }
  }, [boardId, boardKey, current?.id, current?.perPerson, role])

  const vote = useCallback(
    async (shapeId: string, delta: 1 | -1) => {
      if (!current) return
      const cast = async (fresh: boolean) => {
        const voter = await voterId(boardId, boardKey, fresh)
        return voter.ok ? castBallot(boardId, boardKey, current.id, { voter: voter.value, name: myName, shapeId, delta }) : voter
      }
      let result = await cast(false)
      // The server no longer knows the id it gave (its data was replaced): ask for a fresh one, once.
      if (!result.ok && result.error.code === 'voter-not-issued') result = await cast(true)
      const votes = result.ok ? result.value : (result.error as { votes?: MyVotes }).votes
      if (votes) {
        setMine(votes.mine)
        setRemaining(votes.remaining)
      }
      if (result.ok) return
      const error: CallError & { refusal?: BallotRefusal } = result.error
      if (error.refusal) onMessage(t(`voting.refused.${error.refusal}`))
      // A network that asked for too many new voters this hour, or an id the server still refuses: said as such.
      else if (error.code === 'too-many-voters' || error.code === 'voter-not-issued') onMessage(t(`errors.${error.code}`))
      else onMessage(t('voting.refused.other'))
    },
    [boardId, boardKey, current, myName, onMessage, t],
  )

  const revealed = current?.status === 'revealed' && dismissed !== current.id ? current : undefined
  const anchors = useAnchors(editor, canVote ? current!.items : (revealed?.results ?? []).map((r) => r.shapeId))
  if (!current) return null

  if (canVote) {
    return (
      <>
        <div className="banner banner--info voting-bar" role="status" data-testid="voting-bar" data-remaining={remaining ?? undefined}>
          {current.title && <strong>{current.title}: </strong>}
          {t('voting.instructions', { remaining: remaining ?? current.perPerson, total: current.perPerson })}
          {current.onePerItem && ` ${t('voting.onePerItem')}`}
        </div>
        <div className="vote-anchors">
          {anchors.map(({ id, x, y }) => (
            <div key={id} className="vote-controls" style={{ left: x, top: y }} data-testid="vote-controls" data-shape-id={id}>
              {(mine[id] ?? 0) > 0 && (
                <button type="button" className="vote-button" aria-label={t('voting.takeBack')} data-testid="vote-minus" onClick={() => void vote(id, -1)}>
                  −
                </button>
              )}
              <span className="vote-count" data-testid="my-votes" aria-label={t('voting.mine', { count: mine[id] ?? 0 })}>
                {'●'.repeat(Math.min(mine[id] ?? 0, 10))}
              </span>
              <button type="button" className="vote-button vote-button--add" aria-label={t('voting.add')} data-testid="vote-plus" disabled={remaining === 0} onClick={() => void vote(id, 1)}>
                +
              </button>
            </div>
          ))}
        </div>
      </>
    )
  }

  if (!revealed?.results) return null
  const total = revealed.results.reduce((sum, r) => sum + r.count, 0)
  const voters = revealed.voters ?? 0
  const label = (shapeId: string) => {
    const shape = editor.getShape(shapeId as TLShapeId)
    const text = shape ? (editor.getShapeUtil(shape).getText?.(shape) ?? '') : ''
    return text.trim() || t('voting.untitled')
  }
  return (
    <>
      <div className="vote-anchors">
        {anchors.map(({ id, x, y }) => (
          <span key={id} className="vote-badge" style={{ left: x, top: y }} data-testid="vote-badge" data-shape-id={id}>
            {revealed.results!.find((r) => r.shapeId === id)?.count}
          </span>
        ))}
      </div>
      <FloatingPanel
        className="vote-results"
        testId="vote-results"
        closeTestId="vote-results-close"
        heading={revealed.title || t('voting.resultsHeading')}
        onClose={() => setDismissed(revealed.id)}
        actions={
          <button type="button" className="button button--small" onClick={() => setListOpen((o) => !o)} aria-expanded={listOpen}>
            {listOpen ? t('voting.hideList') : t('voting.showList')}
          </button>
        }
      >
        <p className="vote-results__summary" data-testid="vote-summary" data-voters={revealed.voters ?? 0} data-people={role === 'facilitator' ? peopleHere : undefined}>
          {role === 'facilitator'
            ? t('voting.summaryFacilitator', { voters: t('voting.voters', { count: voters }), people: t('voting.peopleHere', { count: peopleHere }), votes: t('voting.votes', { count: total }) })
            : t('voting.summary', { voters: t('voting.voters', { count: voters }), votes: t('voting.votes', { count: total }) })}
        </p>
        {role === 'facilitator' && voters > peopleHere && (
          <p className="vote-results__warning" role="note" data-testid="vote-more-voters">
            {t('voting.moreVotersThanPeople')}
          </p>
        )}
        {listOpen && (
          <ol className="vote-results__list">
            {revealed.results.map((result) => (
              <li key={result.shapeId} data-testid="vote-result" data-shape-id={result.shapeId} data-count={result.count}>
                <button type="button" className="link-button" onClick={() => editor.zoomToBounds(editor.getShapePageBounds(result.shapeId as TLShapeId)!, { animation: { duration: 300 }, targetZoom: 1 })}>
                  {label(result.shapeId)}
                </button>
                <span className="vote-results__count">{t('voting.votes', { count: result.count })}</span>
                {result.names && result.names.length > 0 && (
                  <span className="vote-results__names" data-testid="vote-result-names">
                    {groupNames(result.names)
                      .map(({ name, voters }) => (voters > 1 ? t('voting.nameVoters', { name, count: voters }) : name))
                      .join(', ')}
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
      </FloatingPanel>
    </>
  )
}

/**
 * Dot voting on the canvas. While a vote is open, each item gets + and −
 * buttons with this person's own count, and a bar says how many votes are
 * left; nobody sees anyone else's votes. Once revealed, each item shows its
 * count as a badge and a ranked list opens, for everyone.
 */
import { FloatingPanel } from '../app/FloatingPanel'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import type { Role } from '../../../shared/access'
import type { Vote } from '../../../shared/voting'
import { castBallot, fetchMyVotes } from '../api/http'
import { serverNow } from './serverClock'
import { voterSecret } from './voting'

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
  onMessage,
}: {
  editor: Editor
  votes: Vote[]
  role: Role
  boardId: string
  boardKey: string
  myName: string
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
    void fetchMyVotes(boardId, boardKey, current.id, voterSecret(boardId)).then((result) => {
      if (live && result.ok) {
        setMine(result.value.mine)
        setRemaining(result.value.remaining)
      }
    })
    return () => {
      live = false
    }
  }, [boardId, boardKey, current?.id, current?.perPerson, role])

  const vote = useCallback(
    async (shapeId: string, delta: 1 | -1) => {
      if (!current) return
      const result = await castBallot(boardId, boardKey, current.id, { voter: voterSecret(boardId), name: myName, shapeId, delta })
      const votes = result.ok ? result.value : result.error.votes
      if (votes) {
        setMine(votes.mine)
        setRemaining(votes.remaining)
      }
      if (!result.ok) onMessage(t(`voting.refused.${result.error.refusal ?? 'other'}`))
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
        <p className="vote-results__summary">{t('voting.summary', { voters: revealed.voters ?? 0, votes: total })}</p>
        {listOpen && (
          <ol className="vote-results__list">
            {revealed.results.map((result) => (
              <li key={result.shapeId} data-testid="vote-result" data-shape-id={result.shapeId} data-count={result.count}>
                <button type="button" className="link-button" onClick={() => editor.zoomToBounds(editor.getShapePageBounds(result.shapeId as TLShapeId)!, { animation: { duration: 300 }, targetZoom: 1 })}>
                  {label(result.shapeId)}
                </button>
                <span className="vote-results__count">{t('voting.votes', { count: result.count })}</span>
                {result.names && result.names.length > 0 && <span className="vote-results__names">{result.names.join(', ')}</span>}
              </li>
            ))}
          </ol>
        )}
      </FloatingPanel>
    </>
  )
}

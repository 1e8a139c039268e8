/**
 * Breakout groups (issue 6): the facilitator proposes groups from who is here
 * (mixed, or by own context; shared/breakouts.ts), moves people by hand,
 * starts them on a frame (each group gets its own copy, everyone is taken to
 * theirs), visits any group, and brings everyone back to the plenary, where
 * the groups' frames sit side by side. Late joiners get a group.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import { addToGroups, assignGroups, BREAKOUTS_KEY, groupOf, type Breakouts, type GroupMember, type MixingRule } from '../../../shared/breakouts'
import { getSessionMap } from '../../../shared/documentLayout'
import { isLanguage } from '../../../shared/languages'
import type { Person } from '../board/usePeople'
import { copyFrameForGroups, showFrame, showFrames } from './breakoutFrames'
import { useSelectedFrameId } from './voting'
import { serverNow } from './serverClock'

/** People who take part in groups: not facilitators, not viewers. */
function members(people: Person[]): GroupMember[] {
  return people
    .filter((p) => p.role === 'participant')
    .map((p) => ({ id: p.userId, organisation: p.profile?.organisation ?? '', language: p.profile && isLanguage(p.profile.language) ? p.profile.language : 'en' }))
}

function writeBreakouts(doc: Y.Doc, breakouts: Breakouts): void {
  doc.transact(() => getSessionMap(doc).set(BREAKOUTS_KEY, breakouts))
}

/** The facilitator's breakout controls (a section of the facilitation panel). */
export function BreakoutControls({ doc, editor, people, breakouts }: { doc: Y.Doc; editor: Editor | null; people: Person[]; breakouts: Breakouts | undefined }) {
  const { t } = useTranslation()
  const [count, setCount] = useState('4')
  const [by, setBy] = useState<'groups' | 'size'>('groups')
  const [rule, setRule] = useState<MixingRule>('mixed')
  const [proposal, setProposal] = useState<string[][] | null>(null)
  const names = useMemo(() => new Map(people.map((p) => [p.userId, p.name])), [people])
  const selectedFrame = useSelectedFrameId(editor)
  const groupName = (i: number) => t('breakouts.groupName', { n: i + 1 })

  // Late joiners: the facilitator's browser puts them where the balance suffers least.
  const running = breakouts?.status === 'running' ? breakouts : undefined
  useEffect(() => {
    if (!running) return
    const everyone = members(people)
    const assigned = new Set(running.groups.flatMap((g) => g.members))
    const late = everyone.filter((m) => !assigned.has(m.id))
    if (late.length === 0) return
    let groups = running.groups.map((g) => g.members)
    for (const person of late) groups = addToGroups(groups, person, everyone, running.rule)
    writeBreakouts(doc, { ...running, groups: running.groups.map((g, i) => ({ ...g, members: groups[i] })) })
  }, [running, people, doc])

  if (running) {
    return (
      <div data-testid="breakouts-running">
        <ul className="breakout-list">
          {running.groups.map((group) => (
            <li key={group.frameId} data-testid="breakout-group" data-members={group.members.length}>
              <strong>{group.name}</strong>: {group.members.map((id) => names.get(id) ?? '…').join(', ') || t('breakouts.empty')}
              <button type="button" className="button button--small" data-testid="breakout-visit" onClick={() => editor && showFrame(editor, group.frameId)}>
                {t('breakouts.visit')}
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button button--small button--primary"
          data-testid="breakouts-end"
          onClick={() => {
            writeBreakouts(doc, { ...running, status: 'ended' })
            if (editor) showFrames(editor, running.groups.map((g) => g.frameId))
          }}
        >
          {t('breakouts.backToPlenary')}
        </button>
      </div>
    )
  }

  return (
    <div>
      <div className="facilitator-panel__row">
        <select aria-label={t('breakouts.by')} data-testid="breakout-by" value={by} onChange={(e) => setBy(e.target.value === 'size' ? 'size' : 'groups')}>
          <option value="groups">{t('breakouts.count')}</option>
          <option value="size">{t('breakouts.size')}</option>
        </select>
        <input id="breakout-count" aria-label={by === 'size' ? t('breakouts.size') : t('breakouts.count')} data-testid="breakout-count" inputMode="numeric" size={3} value={count} onChange={(e) => setCount(e.target.value)} />
      </div>
      <div className="facilitator-panel__row">
        <label htmlFor="breakout-rule">{t('breakouts.rule')}</label>
        <select id="breakout-rule" data-testid="breakout-rule" value={rule} onChange={(e) => setRule(e.target.value === 'own-context' ? 'own-context' : 'mixed')}>
          <option value="mixed">{t('breakouts.mixed')}</option>
          <option value="own-context">{t('breakouts.ownContext')}</option>
        </select>
      </div>
      <button
        type="button"
        className="button button--small"
        data-testid="breakouts-propose"
        disabled={members(people).length === 0}
        onClick={() => {
          const n = Math.max(1, Number(count) || 1)
          setProposal(assignGroups(members(people), { rule, ...(by === 'size' ? { size: n } : { groups: n }), seed: Math.floor(serverNow() % 2 ** 31) }))
        }}
      >
        {t('breakouts.propose')}
      </button>
      {proposal && (
        <>
          <ul className="breakout-list" data-testid="breakout-proposal">
            {proposal.map((group, g) => (
              <li key={g}>
                <strong>{groupName(g)}</strong>
                <ul>
                  {group.map((id) => (
                    <li key={id}>
                      {names.get(id) ?? '…'}{' '}
                      <select
                        aria-label={t('breakouts.moveTo', { name: names.get(id) ?? '' })}
                        value={g}
                        onChange={(e) => {
                          const to = Number(e.target.value)
                          setProposal(proposal.map((other, i) => (i === g ? other.filter((m) => m !== id) : i === to ? [...other, id] : other)))
                        }}
                      >
                        {proposal.map((_, i) => (
                          <option key={i} value={i}>
                            {groupName(i)}
                          </option>
                        ))}
                      </select>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="breakouts-start"
            disabled={!selectedFrame || !editor}
            onClick={() => {
              if (!editor || !selectedFrame) return
              const groupNames = proposal.map((_, i) => groupName(i))
              const frames = copyFrameForGroups(editor, selectedFrame, groupNames)
              if (frames.length !== proposal.length) return
              writeBreakouts(doc, {
                id: `${serverNow()}`,
                status: 'running',
                rule,
                sourceFrameId: selectedFrame,
                startedAt: serverNow(),
                groups: proposal.map((group, i) => ({ name: groupNames[i], frameId: frames[i], members: group })),
              })
              setProposal(null)
            }}
          >
            {t('breakouts.start')}
          </button>
          {!selectedFrame && <p className="facilitator-panel__hint">{t('breakouts.selectFrame')}</p>}
        </>
      )}
    </div>
  )
}

/**
 * Everyone's side: taken to their group's frame when breakouts start (once),
 * back to the plenary when they end, with a bar saying where they are.
 */
export function BreakoutBar({ editor, breakouts, myUserId, people }: { editor: Editor | null; breakouts: Breakouts | undefined; myUserId: string; people: Person[] }) {
  const { t } = useTranslation()
  const handled = useRef<string | null>(null)
  const mine = breakouts && breakouts.status === 'running' ? groupOf(breakouts, myUserId) : undefined
  // The session state can arrive before the copied frames do (they travel with the next store flush).
  const framesHere = useValue(
    'breakout frames here',
    () => (breakouts && editor ? breakouts.groups.every((g) => editor.getShape(g.frameId as TLShapeId) !== undefined) : false),
    [editor, breakouts],
  )
  useEffect(() => {
    if (!editor || !breakouts || !framesHere) return
    const key = `${breakouts.id}:${breakouts.status}:${mine?.frameId ?? ''}`
    if (handled.current === key) return
    handled.current = key
    if (breakouts.status === 'running' && mine) showFrame(editor, mine.frameId)
    if (breakouts.status === 'ended') showFrames(editor, breakouts.groups.map((g) => g.frameId))
  }, [editor, breakouts, mine, framesHere])
  if (!mine || !editor) return null
  const names = new Map(people.map((p) => [p.userId, p.name]))
  return (
    <div className="banner banner--info presenter-bar" role="status" data-testid="breakout-bar" data-group={mine.name}>
      <span>{t('breakouts.youAreIn', { group: mine.name, people: mine.members.filter((id) => id !== myUserId).map((id) => names.get(id) ?? '…').join(', ') })}</span>
      <button type="button" className="button button--small" onClick={() => showFrame(editor, mine.frameId)}>
        {t('breakouts.goToMine')}
      </button>
    </div>
  )
}

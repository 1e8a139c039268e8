/**
 * What the session state does to each person's view: a summon moves the
 * viewport once, a presenter is followed until the person chooses to leave
 * (and can rejoin), and facilitator locks hold in a participant's editor.
 */
import { useEffect, useRef, useState } from 'react'
import type { Editor, TLPageId, TLUserId } from 'tldraw'
import type { Role } from '../../../shared/access'
import { SUMMON_FRESH_MS } from '../../../shared/session'
import { guardFacilitatorLocks } from './facilitatorLock'
import { serverNow } from './serverClock'
import type { SessionState } from './useSession'

/** Summons this browser issued itself (its own viewport stays put). */
export const ownSummons = new Set<string>()

/** Moves the camera so that page point (x, y) is in the middle of the viewport at zoom z. */
export function showPagePoint(editor: Editor, pageId: string, x: number, y: number, z: number): void {
  editor.stopFollowingUser()
  if (editor.getCurrentPageId() !== pageId && editor.getPage(pageId as TLPageId)) editor.setCurrentPage(pageId as TLPageId)
  const { w, h } = editor.getViewportScreenBounds()
  editor.setCamera({ x: w / (2 * z) - x, y: h / (2 * z) - y, z }, { animation: { duration: 320 } })
}

export interface PresenterStatus {
  /** Someone else is presenting. */
  active: boolean
  name: string
  following: boolean
  leave(): void
  rejoin(): void
}

export function useSessionEffects(
  editor: Editor | null,
  session: SessionState,
  role: Role,
  myUserId: string,
  onSummoned: (by: string) => void,
): PresenterStatus {
  // Summon: once per id, only when fresh, never for the one who summoned.
  const handledSummon = useRef<string | null>(null)
  useEffect(() => {
    const summon = session.summon
    if (!editor || !summon || handledSummon.current === summon.id) return
    handledSummon.current = summon.id
    if (ownSummons.has(summon.id) || serverNow() - summon.at > SUMMON_FRESH_MS) return
    showPagePoint(editor, summon.pageId, summon.x, summon.y, summon.z)
    onSummoned(summon.by)
  }, [editor, session.summon, onSummoned])

  // Follow the presenter unless this person left; a new presentation asks again.
  const presenter = session.presenter && session.presenter.userId !== myUserId ? session.presenter : undefined
  const [leftSince, setLeftSince] = useState<number | null>(null)
  const optedOut = presenter !== undefined && leftSince === presenter.since
  useEffect(() => {
    if (!editor || !presenter || optedOut) return
    const tick = () => {
      const following = editor.getInstanceState().followingUserId
      if (following === presenter.userId) return
      // Their cursor (presence) may arrive a moment after the session state.
      if (editor.getCollaborators().some((c) => c.userId === presenter.userId)) editor.startFollowingUser(presenter.userId as TLUserId)
    }
    tick()
    const id = setInterval(tick, 500)
    return () => clearInterval(id)
  }, [editor, presenter, optedOut])
  const wasFollowing = useRef(false)
  const following = useFollowing(editor) === presenter?.userId
  useEffect(() => {
    // Stopping to follow (Escape, panning away) is leaving the presentation.
    if (wasFollowing.current && !following && presenter) setLeftSince(presenter.since)
    wasFollowing.current = following
  }, [following, presenter])
  useEffect(() => {
    if (!presenter && editor && wasFollowing.current) editor.stopFollowingUser()
  }, [presenter, editor])

  // Facilitator locks hold in everyone else's editor.
  useEffect(() => {
    if (!editor || role === 'facilitator') return
    return guardFacilitatorLocks(editor, role)
  }, [editor, role])

  return {
    active: presenter !== undefined,
    name: presenter?.name ?? '',
    following,
    leave: () => {
      if (presenter) setLeftSince(presenter.since)
      editor?.stopFollowingUser()
    },
    rejoin: () => {
      setLeftSince(null)
      if (editor && presenter) editor.startFollowingUser(presenter.userId as TLUserId)
    },
  }
}

function useFollowing(editor: Editor | null): string | null {
  const [following, setFollowing] = useState<string | null>(null)
  useEffect(() => {
    if (!editor) return
    const read = () => setFollowing(editor.getInstanceState().followingUserId ?? null)
    read()
    return editor.store.listen(read, { scope: 'session' })
  }, [editor])
  return following
}

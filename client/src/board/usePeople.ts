import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { readSignal, type Signal } from '../session/signals'
import type { Profile } from '../user/identity'
import { readDeclaredRole, readProfile } from '../user/profileField'
import { readPresenceUser } from '../sync/presence'

/** One person on the board, as the people list shows them. */
export interface Person {
  userId: string
  name: string
  color: string
  isSelf: boolean
  signal: Signal
  profile: Profile | undefined
  /** As their browser declares it (never trusted for anything that matters). */
  role: string | undefined
}

function readPeople(awareness: Awareness): Person[] {
  const byUser = new Map<string, Person>()
  for (const [clientId, state] of awareness.getStates()) {
    const user = readPresenceUser(state)
    if (!user) continue
    const isSelf = clientId === awareness.clientID
    // The same person in two tabs is one person; our own tab wins.
    if (byUser.has(user.userId) && !isSelf) continue
    byUser.set(user.userId, { ...user, isSelf, signal: readSignal(state), profile: readProfile(state), role: readDeclaredRole(state) })
  }
  return [...byUser.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name))
}

/**
 * Who is here, from awareness. Cursors change awareness ~20 times a second per
 * person; the list only re-renders when someone arrives, leaves, is renamed,
 * raises a hand or reacts.
 */
export function usePeople(awareness: Awareness): Person[] {
  const [people, setPeople] = useState(() => readPeople(awareness))
  useEffect(() => {
    let key = ''
    const refresh = () => {
      const next = readPeople(awareness)
      const nextKey = JSON.stringify(next)
      if (nextKey === key) return
      key = nextKey
      setPeople(next)
    }
    refresh()
    awareness.on('change', refresh)
    return () => awareness.off('change', refresh)
  }, [awareness])
  return people
}

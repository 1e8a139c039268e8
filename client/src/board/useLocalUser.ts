import { useEffect, useMemo, useState } from 'react'
import { atom, createUserId, UserRecordType, type Atom, type TLUser } from 'tldraw'
import { colorForUser, getUserId, getUserName, setUserName } from '../user/identity'

/** This browser's person: id, colour, name, and the tldraw user record presence is derived from. */
export interface LocalUser {
  id: string
  name: string
  color: string
  /** Whether the person has told us their name yet (else we ask). */
  hasName: boolean
  $record: Atom<TLUser | null>
  rename(name: string): void
}

/** The local user, stable across renders; `rename` remembers the name in localStorage. */
export function useLocalUser(fallbackName: string): LocalUser {
  const id = useMemo(getUserId, [])
  const color = useMemo(() => colorForUser(id), [id])
  const [storedName, setStoredName] = useState(getUserName)
  const name = storedName ?? fallbackName
  const $record = useMemo(
    () => atom<TLUser | null>('local user', UserRecordType.create({ id: createUserId(id), name, color })),
    // The atom is updated below; recreating it would restart presence.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id],
  )
  useEffect(() => {
    $record.set(UserRecordType.create({ id: createUserId(id), name, color }))
  }, [$record, id, name, color])
  return useMemo(
    () => ({
      id,
      name,
      color,
      hasName: storedName !== null,
      $record,
      rename: (next: string) => setStoredName(setUserName(next) || null),
    }),
    [id, name, color, storedName, $record],
  )
}

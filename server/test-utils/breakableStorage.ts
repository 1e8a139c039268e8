/** Fault injection for storage tests: a real adapter whose document writes can be made to fail. */
import { StorageUnavailableError, type Storage } from '../src/storage/Storage'

/** The real adapter, with document writes that fail while `broken` is set. */
export function breakableStorage(inner: Storage): Storage & { broken: boolean } {
  const fail = (): never => {
    throw new StorageUnavailableError('append update failed: SQLITE_FULL')
  }
  return Object.assign(Object.create(inner) as Storage, {
    broken: false,
    appendUpdate(this: { broken: boolean }, ...args: Parameters<Storage['appendUpdate']>) {
      return this.broken ? Promise.reject(fail()) : inner.appendUpdate(...args)
    },
    compact(this: { broken: boolean }, ...args: Parameters<Storage['compact']>) {
      return this.broken ? Promise.reject(fail()) : inner.compact(...args)
    },
  })
}


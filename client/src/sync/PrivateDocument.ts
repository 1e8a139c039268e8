/**
 * A participant's private document for one board (private mode, see
 * shared/privateMode.ts): their new notes while private mode is on, synced
 * only between this browser and the server, kept in IndexedDB for offline
 * work like the board. The secret naming it is random and stays in this
 * browser (localStorage `ww.private.<boardId>`).
 */
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { KEY_PARAM } from '../../../shared/access'
import { PRIVATE_PARAM } from '../../../shared/privateMode'
import { browserSecret } from '../user/identity'
import { Close, closeReasonByCode, MessageType, PROTOCOL_VERSION } from '../../../shared/protocol'
import { PROTOCOL_PARAM } from '../../../shared/syncHandshake'
import { websocketBase } from './BoardConnection'

/** Not remembered (no localStorage): notes written now are revealed with the others, but a reload starts a new private document. */
function privateSecret(boardId: string): string {
  return browserSecret(`ww.private.${boardId}`, 24)
}

export class PrivateDocument {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  private readonly persistence: IndexeddbPersistence | null

  /** True once the server refused this document (the board has as many private documents as it may). */
  refused = false

  /** `onRefused`: the server closed it with too-many-private-documents (once). */
  constructor(boardId: string, key: string, onRefused?: () => void) {
    const secret = privateSecret(boardId)
    this.persistence = typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(`ww-private-${boardId}`, this.doc)
    this.provider = new WebsocketProvider(websocketBase(), boardId, this.doc, {
      connect: navigator.onLine,
      // y-websocket shares a BroadcastChannel between providers of the same URL and room in this
      // browser, the board's own included: the private document must never travel on it.
      disableBc: true,
      params: { [PROTOCOL_PARAM]: String(PROTOCOL_VERSION), [KEY_PARAM]: key, [PRIVATE_PARAM]: secret },
      shouldReconnect: (event) => !closeReasonByCode(event.code)?.permanent,
    })
    // Our Status notices (hello, storage) matter for the board's connection, not this one.
    this.provider.messageHandlers[MessageType.Status] = () => {}
    this.provider.on('connection-close', (event) => {
      if (event?.code !== Close.tooManyPrivateDocuments.code || this.refused) return
      this.refused = true
      onRefused?.()
    })
  }

  destroy(): void {
    this.provider.destroy()
    void this.persistence?.destroy()
    this.doc.destroy()
  }
}

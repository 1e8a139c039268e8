/** Test doubles for the room core: an in-memory socket and client-side frame helpers. */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { MessageType, type StatusNotice } from '../../../shared/protocol'
import { decodeStatusFrame } from '../../../shared/statusFrame'
import type { RoomSocket } from './RoomSocket'

/** A RoomSocket that records what the room sends. */
export class FakeSocket implements RoomSocket {
  frames: Uint8Array[] = []
  closedWith: { code: number; reason: string } | undefined
  bufferedAmount = 0

  send(data: Uint8Array): void {
    this.frames.push(data)
  }

  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason }
  }

  /** The Status notices received so far. */
  statusNotices(): StatusNotice[] {
    return this.frames.map(decodeStatusFrame).filter((notice): notice is StatusNotice => notice !== undefined)
  }

  /** Applies every sync frame received so far to `doc`, as a client would. */
  applySyncFramesTo(doc: Y.Doc): void {
    for (const frame of this.frames) {
      const decoder = decoding.createDecoder(frame)
      if (decoding.readVarUint(decoder) !== MessageType.Sync) continue
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server')
    }
  }
}

/** A sync "update" frame as the stock client sends it. */
export function clientUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A sync step 1 frame for `doc`. */
export function clientStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** An update adding one entry to the `tl_records`-like map `notes`. */
export function noteUpdate(key: string, value: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('notes').set(key, value)
  return Y.encodeStateAsUpdate(doc)
}

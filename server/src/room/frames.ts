/**
 * Builders for the y-websocket frames the room sends: the outer message type
 * varint followed by the y-protocols payload.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { MessageType, PROTOCOL_VERSION } from '../../../shared/protocol'
import { encodeStatusFrame } from '../../../shared/statusFrame'

/** Sync step 1: our state vector, asking the client for what we lack. */
export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** Sync step 2: everything the client lacks, given its state vector. */
export function syncStep2Frame(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep2(encoder, doc, stateVector)
  return encoding.toUint8Array(encoder)
}

/** Sync step 2 carrying an already encoded update (e.g. the cached full state). */
export function syncStep2FrameFromUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The update a sync step 2 frame carries (a view into `frame`, not a copy). */
export function updateOfStep2Frame(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== MessageType.Sync || decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep2) {
    throw new Error('not a sync step 2 frame')
  }
  return decoding.readVarUint8Array(decoder)
}

/** A document update to relay. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** An awareness update carrying the given clients' current states. */
export function awarenessFrame(awareness: Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

/** The notice a client that declared our protocol gets before anything else. */
export function helloFrame(readOnly = false): Uint8Array {
  return encodeStatusFrame({ kind: 'hello', protocolVersion: PROTOCOL_VERSION, readOnly })
}

/**
 * Encoding of our `MessageType.Status` frame, shared so client and server read
 * the same bytes: the type varint (100), then the notice as UTF-8 JSON filling
 * the rest of the frame (no length prefix).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MessageType, REFUSAL_REASONS, type RefusalReason, type StatusNotice } from './protocol'

/** Builds a complete websocket frame carrying `notice`. */
export function encodeStatusFrame(notice: StatusNotice): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Status)
  encoding.writeUint8Array(encoder, new TextEncoder().encode(JSON.stringify(notice)))
  return encoding.toUint8Array(encoder)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isRefusalReason(value: unknown): value is RefusalReason {
  return (REFUSAL_REASONS as readonly unknown[]).includes(value)
}

/** Reads a Status frame (type varint included); undefined when it is not a valid one. */
export function decodeStatusFrame(frame: Uint8Array): StatusNotice | undefined {
  try {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MessageType.Status) return undefined
    const body: unknown = JSON.parse(new TextDecoder().decode(decoding.readTailAsUint8Array(decoder)))
    if (!isRecord(body)) return undefined
    if (body.kind === 'storage' && typeof body.ok === 'boolean') return { kind: 'storage', ok: body.ok }
    if (body.kind === 'hello' && typeof body.protocolVersion === 'number' && typeof body.readOnly === 'boolean') {
      return { kind: 'hello', protocolVersion: body.protocolVersion, readOnly: body.readOnly }
    }
    if (body.kind === 'refused' && isRefusalReason(body.reason)) return { kind: 'refused', reason: body.reason }
    return undefined
  } catch {
    return undefined
  }
}

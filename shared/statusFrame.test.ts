import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { MessageType, REFUSAL_REASONS } from './protocol'
import { decodeStatusFrame, encodeStatusFrame } from './statusFrame'

function rawStatus(body: unknown): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Status)
  encoding.writeUint8Array(encoder, new TextEncoder().encode(JSON.stringify(body)))
  return encoding.toUint8Array(encoder)
}

describe('status frames', () => {
  it('carry every refusal reason both ways', () => {
    for (const reason of REFUSAL_REASONS) expect(decodeStatusFrame(encodeStatusFrame({ kind: 'refused', reason }))).toEqual({ kind: 'refused', reason })
    expect(REFUSAL_REASONS).toContain('presence-too-large')
    expect(REFUSAL_REASONS).toContain('presence-not-yours')
  })

  it('reject a reason nobody declared, and pass on only the fields they know', () => {
    expect(decodeStatusFrame(rawStatus({ kind: 'refused', reason: 'presence-whatever' }))).toBeUndefined()
    expect(decodeStatusFrame(rawStatus({ kind: 'refused' }))).toBeUndefined()
    expect(decodeStatusFrame(rawStatus({ kind: 'refused', reason: 'read-only', extra: 1 }))).toEqual({ kind: 'refused', reason: 'read-only' })
  })
})

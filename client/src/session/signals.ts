/**
 * Raised hands and quick reactions, carried in each person's awareness state
 * (volatile, never stored): `signal: { hand: <server time raised> | null,
 * reaction: { kind, at } | null }`. A facilitator lowers every hand by setting
 * the session's `handsClearedAt`: hands raised before it count as lowered
 * everywhere, and each client also lowers its own.
 */
import type { Awareness } from 'y-protocols/awareness'

export const SIGNAL_FIELD = 'signal'
export const REACTIONS = ['agree', 'disagree', 'clap', 'question'] as const
export type ReactionKind = (typeof REACTIONS)[number]
export const REACTION_EMOJI: Record<ReactionKind, string> = { agree: '👍', disagree: '👎', clap: '👏', question: '❓' }
/** How long a reaction shows. */
export const REACTION_MS = 6_000

export interface Signal {
  hand: number | null
  reaction: { kind: ReactionKind; at: number } | null
}

export function readSignal(state: unknown): Signal {
  const raw = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[SIGNAL_FIELD] : undefined
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  const hand = typeof value.hand === 'number' && Number.isFinite(value.hand) ? value.hand : null
  const r = value.reaction as Record<string, unknown> | null | undefined
  const reaction =
    r && typeof r === 'object' && (REACTIONS as readonly string[]).includes(r.kind as string) && typeof r.at === 'number'
      ? { kind: r.kind as ReactionKind, at: r.at }
      : null
  return { hand, reaction }
}

/** A hand counts as raised if it went up after the last "lower all hands". */
export function handIsUp(signal: Signal, handsClearedAt: number): boolean {
  return signal.hand !== null && signal.hand > handsClearedAt
}

export function setOwnSignal(awareness: Awareness, change: Partial<Signal>): void {
  const current = readSignal(awareness.getLocalState())
  awareness.setLocalStateField(SIGNAL_FIELD, { ...current, ...change })
}

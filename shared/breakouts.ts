/**
 * Breakout groups for a digital dialogue: who goes in which group.
 * Pure and deterministic for a seed, so the facilitator's proposal is the
 * same on every screen and a test can replay it.
 *
 * - `mixed`: every organisation and every language spread over the groups,
 *   so each group holds people from both sides of the partnership (the
 *   publication's mixed groups);
 * - `own-context`: people of the same organisation together (its second
 *   dialogue, where each municipality first worked on its own context).
 *
 * Group sizes stay within one of each other. A person who leaves takes only
 * their own place; a late joiner goes where the balance suffers least.
 */
import type { Language } from './languages'

export interface GroupMember {
  id: string
  organisation: string
  language: Language
}

export type MixingRule = 'mixed' | 'own-context'

export interface GroupingOptions {
  rule: MixingRule
  /** Either a number of groups or a target group size. */
  groups?: number
  size?: number
  seed: number
}

/** Small, fast, seedable PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffled<T>(items: T[], seed: number): T[] {
  const next = random(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

const orgKey = (organisation: string) => organisation.trim().toLocaleLowerCase()

/** How many groups the options ask for, for `count` people (at least 1, at most `count`). */
export function groupCount(count: number, options: Pick<GroupingOptions, 'groups' | 'size'>): number {
  if (count === 0) return 0
  const wanted = options.groups ?? (options.size ? Math.round(count / Math.max(1, options.size)) : 1)
  return Math.max(1, Math.min(count, Math.floor(wanted) || 1))
}

/** Splits `people` into groups (arrays of ids) following `options`. */
export function assignGroups(people: GroupMember[], options: GroupingOptions): string[][] {
  const k = groupCount(people.length, options)
  if (k === 0) return []
  const groups: string[][] = Array.from({ length: k }, () => [])
  // Shuffle first (the seed decides who meets whom), then order by the traits to spread or to keep together.
  const order = shuffled(people, options.seed)
  if (options.rule === 'mixed') {
    // Biggest language first, then biggest organisation within it, dealt round the groups like
    // cards: any run of n neighbours (one organisation, one language) lands in n different
    // groups, or at most ceil(n / k) per group.
    const langCount = new Map<string, number>()
    const orgCount = new Map<string, number>()
    for (const p of order) {
      langCount.set(p.language, (langCount.get(p.language) ?? 0) + 1)
      orgCount.set(orgKey(p.organisation), (orgCount.get(orgKey(p.organisation)) ?? 0) + 1)
    }
    const rank = (p: GroupMember) => [-(langCount.get(p.language) ?? 0), p.language, -(orgCount.get(orgKey(p.organisation)) ?? 0), orgKey(p.organisation)] as const
    const sorted = order
      .map((p, i) => ({ p, i, r: rank(p) }))
      .sort((a, b) => {
        for (let n = 0; n < a.r.length; n++) if (a.r[n] !== b.r[n]) return a.r[n] < b.r[n] ? -1 : 1
        return a.i - b.i
      })
      .map((x) => x.p)
    sorted.forEach((p, i) => groups[i % k].push(p.id))
    return groups
  }
  // own-context: organisations kept whole where the sizes allow, in contiguous blocks of equal size.
  const byOrg = new Map<string, GroupMember[]>()
  for (const p of order) byOrg.set(orgKey(p.organisation), [...(byOrg.get(orgKey(p.organisation)) ?? []), p])
  const sorted = [...byOrg.values()].sort((a, b) => b.length - a.length || orgKey(a[0].organisation).localeCompare(orgKey(b[0].organisation))).flat()
  const base = Math.floor(sorted.length / k)
  const extra = sorted.length % k
  let at = 0
  for (let g = 0; g < k; g++) {
    const size = base + (g < extra ? 1 : 0)
    groups[g] = sorted.slice(at, at + size).map((p) => p.id)
    at += size
  }
  return groups
}

/** The groups without `id`; everyone else stays where they were. */
export function removeFromGroups(groups: string[][], id: string): string[][] {
  return groups.map((group) => group.filter((member) => member !== id))
}

/**
 * Puts a late joiner where the balance suffers least: a smallest group; among
 * those, for `mixed` the one with the fewest of their organisation, then of
 * their language; for `own-context` the one with the most of their organisation.
 */
export function addToGroups(groups: string[][], person: GroupMember, everyone: GroupMember[], rule: MixingRule): string[][] {
  if (groups.length === 0) return [[person.id]]
  const byId = new Map(everyone.map((p) => [p.id, p]))
  const count = (group: string[], same: (p: GroupMember) => boolean) => group.filter((id) => byId.has(id) && same(byId.get(id)!)).length
  const smallest = Math.min(...groups.map((g) => g.length))
  let best = -1
  let bestScore: number[] = []
  groups.forEach((group, index) => {
    if (group.length !== smallest) return
    const sameOrg = count(group, (p) => orgKey(p.organisation) === orgKey(person.organisation))
    const sameLanguage = count(group, (p) => p.language === person.language)
    const score = rule === 'mixed' ? [sameOrg, sameLanguage, index] : [-sameOrg, index]
    if (best === -1 || lexicographicLess(score, bestScore)) {
      best = index
      bestScore = score
    }
  })
  return groups.map((group, index) => (index === best ? [...group, person.id] : group))
}

function lexicographicLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i]
  return false
}

// ---------------------------------------------------------------------------
// Running breakouts: kept in the board's facilitator-only session state.

/** One group while breakouts run: its name, its copy of the step's frame, its members' user ids. */
export interface BreakoutGroup {
  name: string
  frameId: string
  members: string[]
}

export interface Breakouts {
  /** Changes with every start, so each browser acts on a start once. */
  id: string
  status: 'running' | 'ended'
  rule: MixingRule
  /** The frame the groups' copies were made from. */
  sourceFrameId: string
  groups: BreakoutGroup[]
  startedAt: number
}

export const BREAKOUTS_KEY = 'breakouts'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function parseBreakouts(value: unknown): Breakouts | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || (value.status !== 'running' && value.status !== 'ended')) return undefined
  if (!Array.isArray(value.groups) || typeof value.sourceFrameId !== 'string') return undefined
  const groups = value.groups.flatMap((g): BreakoutGroup[] =>
    isRecord(g) && typeof g.name === 'string' && typeof g.frameId === 'string' && Array.isArray(g.members)
      ? [{ name: g.name, frameId: g.frameId, members: g.members.filter((m): m is string => typeof m === 'string') }]
      : [],
  )
  return {
    id: value.id,
    status: value.status,
    rule: value.rule === 'own-context' ? 'own-context' : 'mixed',
    sourceFrameId: value.sourceFrameId,
    groups,
    startedAt: typeof value.startedAt === 'number' ? value.startedAt : 0,
  }
}

/** The group `userId` is in, if any. */
export function groupOf(breakouts: Breakouts, userId: string): BreakoutGroup | undefined {
  return breakouts.groups.find((group) => group.members.includes(userId))
}

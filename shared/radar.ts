/**
 * The participation radar's data and its aggregation: pure functions, no
 * tldraw, no Yjs. Client (rendering, scoring) and tests share them.
 *
 * Where a radar keeps its data (see docs/architecture.md, "The participation radar"):
 *   props  (configuration; one value per prop, set by whoever configures the radar)
 *     axisCount, maxScore, round, spread, showNames, title, w, h
 *   meta   (contributions; the binding writes meta key by key, so each key is its own register)
 *     'score:<respondentId>'  { r: round, v: (number | null)[] }   one respondent's scores, written only by them
 *     'name:<respondentId>'   display name, only while props.showNames is on
 *     'label:<axisIndex>'     one axis label, so two people naming two axes both keep theirs
 *     'round:<number>'        a frozen round's aggregate (FrozenRound)
 *
 * A person's action therefore changes only their own key: fifty people scoring
 * at once never overwrite one another.
 */
import type { Language } from './languages'

/** tldraw shape type of the radar. */
export const RADAR_SHAPE_TYPE = 'radar'
export const MIN_AXES = 3
export const MAX_AXES = 12
export const DEFAULT_AXES = 8
export const MIN_SCORE_SCALE = 2
export const MAX_SCORE_SCALE = 10
/** Scores run from 1 to maxScore; 5 by default. */
export const DEFAULT_MAX_SCORE = 5
/** Longest axis label or round label kept. */
export const MAX_LABEL_LENGTH = 80
/** Longest display name kept. */
export const MAX_NAME_LENGTH = 60

export const SCORE_PREFIX = 'score:'
export const NAME_PREFIX = 'name:'
export const LABEL_PREFIX = 'label:'
export const ROUND_PREFIX = 'round:'

/** How the group's spread is drawn: the middle half (interquartile band) or everything (min to max). */
export type SpreadMode = 'iqr' | 'range'

/** The radar's props (validated by the board schema, see shared/radarShape.ts). */
export type RadarProps = {
  w: number
  h: number
  axisCount: number
  maxScore: number
  /** The round being scored now; rounds before it are frozen. Starts at 1. */
  round: number
  spread: SpreadMode
  /** The group chose to see names next to scores; off (anonymous) by default. */
  showNames: boolean
  /** Question or heading shown above the radar; may be empty. */
  title: string
}

/** Respondent ids are random and opaque: never a user id or a name. */
const RESPONDENT_ID = /^[A-Za-z0-9_-]{8,64}$/

/** True for a string usable as a respondent id. */
export function isRespondentId(value: unknown): value is string {
  return typeof value === 'string' && RESPONDENT_ID.test(value)
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A fresh random respondent id: 22 base64url characters (132 random bits). */
export function newRespondentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22))
  return Array.from(bytes, (byte) => ID_ALPHABET[byte & 63]).join('')
}

export const scoreKey = (respondentId: string) => `${SCORE_PREFIX}${respondentId}`
export const nameKey = (respondentId: string) => `${NAME_PREFIX}${respondentId}`
export const labelKey = (axis: number) => `${LABEL_PREFIX}${axis}`
export const roundKey = (round: number) => `${ROUND_PREFIX}${round}`

/** One respondent's stored scores: the round they belong to and one value (or null, skipped) per axis index. */
export interface ScoreEntry {
  r: number
  v: (number | null)[]
}

/** One respondent's scores for the current round, as read back (untrusted values dropped). */
export interface Response {
  respondentId: string
  /** One per current axis: a score, or null when this respondent skipped the axis. */
  values: (number | null)[]
  /** Only when the radar shows names and the respondent's name is stored. */
  name?: string
}

function validScore(value: unknown, maxScore: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 && value <= maxScore ? value : null
}

/**
 * Reads a stored score entry; anything malformed (written by a buggy or
 * hostile client) is null, and out-of-range values count as skipped.
 */
export function parseScoreEntry(value: unknown, maxScore: number): ScoreEntry | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { r, v } = value as { r?: unknown; v?: unknown }
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || !Array.isArray(v)) return null
  return { r, v: v.slice(0, MAX_AXES).map((x) => validScore(x, maxScore)) }
}

/** The value to store under a respondent's score key. */
export function scoreEntry(round: number, values: (number | null)[]): ScoreEntry {
  const v = values.slice(0, MAX_AXES).map((x) => (x === undefined ? null : x))
  while (v.length > 0 && v[v.length - 1] === null) v.pop()
  return { r: round, v }
}

/** Returns `values` with axis `axis` set to `score` (null clears it), padded with nulls as needed. */
export function withScore(values: readonly (number | null)[], axis: number, score: number | null): (number | null)[] {
  const next = values.slice()
  while (next.length <= axis) next.push(null)
  next[axis] = score
  return next
}

type Meta = Readonly<Record<string, unknown>>

/**
 * Everyone's responses to the current round: respondents with at least one
 * valid score on one of the current axes. Scores beyond `axisCount` are
 * ignored (axes were removed); new axes have no scores yet (null).
 */
export function readResponses(meta: Meta, props: Pick<RadarProps, 'axisCount' | 'maxScore' | 'round' | 'showNames'>): Response[] {
  const out: Response[] = []
  for (const [key, value] of Object.entries(meta)) {
    if (!key.startsWith(SCORE_PREFIX)) continue
    const respondentId = key.slice(SCORE_PREFIX.length)
    if (!isRespondentId(respondentId)) continue
    const entry = parseScoreEntry(value, props.maxScore)
    if (!entry || entry.r !== props.round) continue
    const values = Array.from({ length: props.axisCount }, (_, i) => entry.v[i] ?? null)
    if (values.every((x) => x === null)) continue
    const response: Response = { respondentId, values }
    if (props.showNames) {
      const name = meta[nameKey(respondentId)]
      if (typeof name === 'string' && name.trim() !== '') response.name = name.slice(0, MAX_NAME_LENGTH)
    }
    out.push(response)
  }
  // A stable order that reveals nothing about when someone answered.
  return out.sort((a, b) => (a.respondentId < b.respondentId ? -1 : a.respondentId > b.respondentId ? 1 : 0))
}

/** The current round's scores of one respondent (nulls where not scored), or all nulls. */
export function ownValues(meta: Meta, respondentId: string, props: Pick<RadarProps, 'axisCount' | 'maxScore' | 'round'>): (number | null)[] {
  const entry = parseScoreEntry(meta[scoreKey(respondentId)], props.maxScore)
  const v = entry && entry.r === props.round ? entry.v : []
  return Array.from({ length: props.axisCount }, (_, i) => v[i] ?? null)
}

/** Statistics of one axis. With no scores, n is 0 and the rest are null. */
export interface AxisStats {
  n: number
  median: number | null
  q1: number | null
  q3: number | null
  min: number | null
  max: number | null
}

/** The q-quantile of sorted values, interpolating linearly between ranks (the common "type 7" definition). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of nothing')
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

/** Median, quartiles, min, max and count of a list of scores. */
export function axisStats(values: readonly number[]): AxisStats {
  if (values.length === 0) return { n: 0, median: null, q1: null, q3: null, min: null, max: null }
  const sorted = values.slice().sort((a, b) => a - b)
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  }
}

/** The group's picture: how many responded, and per axis the statistics. */
export interface RadarAggregate {
  respondents: number
  axes: AxisStats[]
}

/** Aggregates responses over `axisCount` axes; a skipped axis lowers only that axis's n. */
export function aggregate(responses: readonly Response[], axisCount: number): RadarAggregate {
  const axes = Array.from({ length: axisCount }, (_, axis) =>
    axisStats(responses.flatMap((r) => (typeof r.values[axis] === 'number' ? [r.values[axis] as number] : []))),
  )
  return { respondents: responses.length, axes }
}

/** The current axis labels ('' where the group has not named an axis yet). */
export function readLabels(meta: Meta, axisCount: number): string[] {
  return Array.from({ length: axisCount }, (_, i) => {
    const value = meta[labelKey(i)]
    return typeof value === 'string' ? value.slice(0, MAX_LABEL_LENGTH) : ''
  })
}

/** A frozen round: what the group's picture was when it was frozen. */
export interface FrozenRound {
  round: number
  label: string
  /** Calendar date the round was frozen, YYYY-MM-DD. */
  date: string
  maxScore: number
  respondents: number
  /** One per axis at the time: its label and statistics. */
  axes: (AxisStats & { label: string })[]
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

function nullableNumber(value: unknown): number | null | undefined {
  if (value === null) return null
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** Reads a stored round; null if malformed. */
export function parseFrozenRound(value: unknown, round: number): FrozenRound | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const v = value as Record<string, unknown>
  if (typeof v.label !== 'string' || typeof v.date !== 'string' || !DATE.test(v.date)) return null
  if (typeof v.maxScore !== 'number' || typeof v.respondents !== 'number' || !Array.isArray(v.axes)) return null
  if (v.axes.length < MIN_AXES || v.axes.length > MAX_AXES) return null
  const axes: FrozenRound['axes'] = []
  for (const raw of v.axes) {
    if (typeof raw !== 'object' || raw === null) return null
    const a = raw as Record<string, unknown>
    const stats = { n: a.n, median: nullableNumber(a.median), q1: nullableNumber(a.q1), q3: nullableNumber(a.q3), min: nullableNumber(a.min), max: nullableNumber(a.max) }
    if (typeof stats.n !== 'number' || typeof a.label !== 'string') return null
    if ([stats.median, stats.q1, stats.q3, stats.min, stats.max].some((x) => x === undefined)) return null
    axes.push({ label: a.label.slice(0, MAX_LABEL_LENGTH), ...(stats as AxisStats) })
  }
  return { round, label: v.label.slice(0, MAX_LABEL_LENGTH), date: v.date, maxScore: v.maxScore, respondents: v.respondents, axes }
}

/** Every frozen round stored on the radar, oldest first. */
export function readRounds(meta: Meta): FrozenRound[] {
  const rounds: FrozenRound[] = []
  for (const [key, value] of Object.entries(meta)) {
    if (!key.startsWith(ROUND_PREFIX)) continue
    const number = Number(key.slice(ROUND_PREFIX.length))
    if (!Number.isInteger(number) || number < 1) continue
    const round = parseFrozenRound(value, number)
    if (round) rounds.push(round)
  }
  return rounds.sort((a, b) => a.round - b.round)
}

/** The round to draw as a ghost outline: the latest frozen one before the current round. */
export function ghostRound(rounds: readonly FrozenRound[], currentRound: number): FrozenRound | undefined {
  return rounds.filter((r) => r.round < currentRound).at(-1)
}

/** YYYY-MM-DD of a date, in the local calendar. */
export function calendarDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/**
 * Freezing the current round: the meta writes and the next props. The round's
 * aggregate (medians, spread, n per axis, labels) is stored under its own key;
 * scoring continues in the next round, and the old scores are ignored from then on.
 */
export function freezeRound(
  meta: Meta,
  props: RadarProps,
  label: string,
  date: string,
): { meta: Record<string, unknown>; props: Pick<RadarProps, 'round'> } {
  const responses = readResponses(meta, { ...props, showNames: false })
  const stats = aggregate(responses, props.axisCount)
  const labels = readLabels(meta, props.axisCount)
  const round: Omit<FrozenRound, 'round'> = {
    label: label.trim().slice(0, MAX_LABEL_LENGTH),
    date,
    maxScore: props.maxScore,
    respondents: stats.respondents,
    axes: stats.axes.map((axis, i) => ({ label: labels[i], ...axis })),
  }
  return { meta: { [roundKey(props.round)]: round }, props: { round: props.round + 1 } }
}

/**
 * A clearly marked example set of eight building blocks, for a group that
 * wants to try the radar before it has chosen its own words. Indexed by language.
 */
export const EXAMPLE_LABELS: Record<Language, readonly string[]> = {
  en: ['Trust', 'A shared goal', 'Clear roles', 'Listening to each other', 'Transparency', 'Real influence on decisions', 'Feedback on what was done', 'Everyone can take part'],
  nl: ['Vertrouwen', 'Een gedeeld doel', 'Duidelijke rollen', 'Naar elkaar luisteren', 'Transparantie', 'Echte invloed op beslissingen', 'Terugkoppeling over wat ermee gebeurde', 'Iedereen kan meedoen'],
  es: ['Confianza', 'Un objetivo compartido', 'Roles claros', 'Escucharnos', 'Transparencia', 'Influencia real en las decisiones', 'Devolución sobre lo que se hizo', 'Todas y todos pueden participar'],
}

/** True when the radar's labels are (all) an example set, in any language: shown with an "example" mark. */
export function labelsAreExample(labels: readonly string[]): boolean {
  if (labels.every((l) => l === '')) return false
  return Object.values(EXAMPLE_LABELS).some((set) => labels.every((l, i) => l === (set[i] ?? '')))
}

/** Meta writes that load the example labels in `language` (and clear labels of the axes beyond them). */
export function exampleLabelWrites(language: Language, axisCount: number): Record<string, string> {
  const set = EXAMPLE_LABELS[language]
  return Object.fromEntries(Array.from({ length: axisCount }, (_, i) => [labelKey(i), set[i] ?? '']))
}

/** The meta keys holding display names (all removed when the group turns names off). */
export function nameKeys(meta: Meta): string[] {
  return Object.keys(meta).filter((key) => key.startsWith(NAME_PREFIX))
}

/** Clamps a wanted axis count into the allowed range. */
export function clampAxisCount(n: number): number {
  return Math.max(MIN_AXES, Math.min(MAX_AXES, Math.round(n)))
}

/**
 * Where on the score scale a point at `radius` (0 = centre, 1 = outer ring) lands:
 * the nearest whole score, at least 1.
 */
export function scoreAtRadius(radius: number, maxScore: number): number {
  return Math.max(1, Math.min(maxScore, Math.round(radius * maxScore)))
}

/** The axis nearest to an angle (radians, 0 = up, clockwise), for `axisCount` evenly spread axes. */
export function axisAtAngle(angle: number, axisCount: number): number {
  const step = (2 * Math.PI) / axisCount
  const normalized = ((angle % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)
  return Math.round(normalized / step) % axisCount
}

/**
 * Server configuration: the only module that reads environment variables.
 * Every field is declared once below with its default and meaning; the same
 * table is exported as data so the README can list it.
 */
import path from 'node:path'
import { err, ok, type Result } from '../../shared/result'

/** Log verbosity, least to most quiet. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** SQLite `synchronous` settings the server accepts (both with WAL). */
export const SQLITE_SYNCHRONOUS_MODES = ['NORMAL', 'FULL'] as const
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_MODES)[number]

/** The validated run-time configuration. */
export interface Config {
  port: number
  host: string
  dataDir: string
  publicUrl: string | null
  tldrawLicenseKey: string | null
  /** The organiser code board creation asks for; null: anyone who reaches the server may create boards. */
  boardCreationCode: string | null
  maxMessageBytes: number
  maxBufferedBytes: number
  roomIdleMs: number
  compactAfterUpdates: number
  maxAssetBytes: number
  maxBoardBytes: number
  maxUpdatesPerSecond: number
  sqliteSynchronous: SqliteSynchronous
  logLevel: LogLevel
  maxPresenceStateBytes: number
  maxPresenceClientsPerSocket: number
  maxPresenceEntriesPerFrame: number
  /** New voter ids one address may be issued per board and hour (shared office networks count as one address). */
  votersPerAddressPerHour: number
  /** Boards one address may create per hour; 0: no limit. */
  boardsPerHourPerAddress: number
  /** Images one board may hold (count); 0: no limit. */
  maxImagesPerBoard: number
  /** Bytes of images one board may hold; 0: no limit. */
  maxImageBytesPerBoard: number
  /** Image uploads one board accepts per hour; 0: no limit. */
  uploadsPerHourPerBoard: number
  /** Image uploads one address may make per hour; 0: no limit. */
  uploadsPerHourPerAddress: number
  /** How old an image no document refers to must be before it is deleted. */
  unusedImageGraceMs: number
  /** Private documents (private mode) one board may have; 0: no limit. */
  maxPrivateDocumentsPerBoard: number
  /** Origins allowed to frame the app (CSP frame-ancestors); ["'self'"] by default. */
  frameAncestors: string[]
}

type Parser<T> = (raw: string) => Result<T, string>

interface Field<K extends keyof Config> {
  key: K
  name: string
  /** Default as the operator would write it; undefined means "not set". */
  default: string | undefined
  description: string
  parse: Parser<Config[K]>
}

const MiB = 1024 * 1024

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    if (!/^\d+$/.test(raw.trim())) return err(`must be a whole number, got "${raw}"`)
    const value = Number(raw.trim())
    if (value < min || value > max) return err(`must be between ${min} and ${max}, got ${value}`)
    return ok(value)
  }
}

function oneOf<T extends string>(values: readonly T[], normalise: (raw: string) => string = (s) => s): Parser<T> {
  return (raw) => {
    const value = normalise(raw.trim())
    const found = values.find((v) => v === value)
    return found === undefined ? err(`must be one of ${values.join(', ')}, got "${raw}"`) : ok(found)
  }
}

const nonEmpty: Parser<string> = (raw) => (raw.trim() === '' ? err('must not be empty') : ok(raw.trim()))

const optionalText: Parser<string | null> = (raw) => ok(raw.trim() === '' ? null : raw.trim())

/**
 * Shortest organiser code accepted. Wrong guesses are limited per address
 * (server/src/access/creationCode.ts), but a short code would still fall to
 * guessing from many addresses.
 */
export const MIN_CREATION_CODE_LENGTH = 8

// The error never repeats the value: it is a secret and start-up errors end up in logs.
const optionalCreationCode: Parser<string | null> = (raw) => {
  const code = raw.trim()
  if (code === '') return ok(null)
  // Browsers refuse to put anything else in a header, so such a code could never be typed in.
  if (!/^[\x20-\x7e]+$/.test(code)) return err('must be printable ASCII (letters, digits, punctuation, spaces): it is sent in an HTTP header')
  if (code.length < MIN_CREATION_CODE_LENGTH) return err(`must be at least ${MIN_CREATION_CODE_LENGTH} characters long, got ${code.length}`)
  return ok(code)
}

const optionalUrl: Parser<string | null> = (raw) => {
  if (raw.trim() === '') return ok(null)
  try {
    const url = new URL(raw.trim())
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(`must be an http(s) URL, got "${raw}"`)
    return ok(url.toString().replace(/\/$/, ''))
  } catch {
    return err(`must be an absolute URL such as https://board.example.org, got "${raw}"`)
  }
}

/**
 * CSP `frame-ancestors` sources: `'self'`, `'none'` or space-separated
 * origins (`https://intranet.example.org`). Anything else is refused: the value
 * ends up in a response header, so it must not smuggle in another directive.
 */
const frameAncestorList: Parser<string[]> = (raw) => {
  const parts = raw.trim().split(/\s+/).filter(Boolean)
  if (parts.length === 0) return err("must name at least one source, e.g. 'self'")
  for (const part of parts) {
    if (part === "'self'" || part === "'none'") continue
    if (!/^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(part)) {
      return err(`must be 'self', 'none' or origins such as https://intranet.example.org separated by spaces, got "${part}"`)
    }
  }
  if (parts.includes("'none'") && parts.length > 1) return err("'none' cannot be combined with other sources")
  return ok(parts)
}

// Declared as a tuple of fields so each parser is checked against its Config key.
const FIELDS = [
  // The TCP port for HTTP and websockets together; 0 picks a free port (tests).
  { key: 'port', name: 'PORT', default: '3000', description: 'TCP port for HTTP and websocket sync; 0 picks a free port.', parse: integer(0, 65535) },
  // Listening address; 0.0.0.0 for containers, 127.0.0.1 to keep it behind a local proxy.
  { key: 'host', name: 'HOST', default: '0.0.0.0', description: 'Address to listen on (127.0.0.1 to accept only a local reverse proxy).', parse: nonEmpty },
  // Where whiteboard.db lives; relative paths are resolved against the working directory.
  { key: 'dataDir', name: 'DATA_DIR', default: './data', description: 'Directory holding whiteboard.db (boards, documents, images). Back up this directory.', parse: nonEmpty },
  // Only told to the client (share links); the server itself does not depend on it.
  { key: 'publicUrl', name: 'PUBLIC_URL', default: undefined, description: 'Public URL the server is reached at, e.g. https://board.example.org (used for share links).', parse: optionalUrl },
  // tldraw checks the key offline in the browser; the server only hands it over.
  { key: 'tldrawLicenseKey', name: 'TLDRAW_LICENSE_KEY', default: undefined, description: 'tldraw licence key for your hostname; without it production HTTPS deployments show a licence notice.', parse: optionalText },
  // Unset keeps the server open to anyone who reaches it, as before; links to existing boards never need it.
  { key: 'boardCreationCode', name: 'BOARD_CREATION_CODE', default: undefined, description: `Organiser code needed to create boards (at least ${MIN_CREATION_CODE_LENGTH} characters); unset, anyone who reaches the server may create boards. Board links work without it.`, parse: optionalCreationCode },
  // A pasted image travels as an asset upload, not through the document, so 16 MiB is generous.
  { key: 'maxMessageBytes', name: 'MAX_MESSAGE_BYTES', default: String(16 * MiB), description: 'Largest websocket frame accepted; a larger one closes that connection with message-too-large (4413).', parse: integer(1024) },
  // Bounds memory per slow client: beyond this many unsent bytes the client is closed with too-slow and resyncs on reconnect.
  { key: 'maxBufferedBytes', name: 'MAX_BUFFERED_BYTES', default: String(8 * MiB), description: 'Unsent bytes allowed to pile up for one client, beyond one copy of the board, before it is closed with too-slow (4408).', parse: integer(1024) },
  // Grace period so a page reload does not unload and reload the room.
  { key: 'roomIdleMs', name: 'ROOM_IDLE_MS', default: '30000', description: 'Milliseconds an empty board stays in memory before it is written to storage and unloaded.', parse: integer(0) },
  // Trades snapshot cost (encoding the whole doc) against log length (load time).
  { key: 'compactAfterUpdates', name: 'COMPACT_AFTER_UPDATES', default: '500', description: 'Stored edits after which a board is compacted into one snapshot.', parse: integer(1) },
  // Checked before the body is read (Content-Length) and while streaming.
  { key: 'maxAssetBytes', name: 'MAX_ASSET_BYTES', default: String(10 * MiB), description: 'Largest image upload accepted, in bytes.', parse: integer(1) },
  // A 5,000-note board is 3.4 MB; 32 MiB leaves room for ten times that, while a participant
  // cannot make every newcomer download 100 MB. Deletions are always taken, so a full board can shrink.
  { key: 'maxBoardBytes', name: 'MAX_BOARD_BYTES', default: String(32 * MiB), description: 'Largest board (stored document bytes) that still takes new content; past it, changes that add content are refused (board-full) and deletions still work.', parse: integer(64 * 1024) },
  // Dragging sends about one update per animation frame (60/s); bursts of twice the rate are allowed.
  { key: 'maxUpdatesPerSecond', name: 'MAX_UPDATES_PER_SECOND', default: '100', description: 'Document updates one connection may send per second on average (bursts of twice as many); more closes it with too-many-updates (4429), and the client reconnects and resyncs.', parse: integer(1) },
  // Measured on the 2-core project machines (docs/api.md "Durability"): append p99 0.06 ms
  // NORMAL vs 0.3 ms FULL when idle, but 0.2 ms vs 8 ms with the CPUs busy, as during a
  // workshop; FULL's fsync per edit breaks the ~5 ms budget exactly when it matters.
  // Both survive a killed process (WAL); only FULL survives power loss or an OS crash.
  { key: 'sqliteSynchronous', name: 'SQLITE_SYNCHRONOUS', default: 'NORMAL', description: 'SQLite durability: NORMAL (default) survives a killed or crashed server process; FULL also survives power loss and OS crashes, at the cost of an fsync per edit (slower appends under load).', parse: oneOf(SQLITE_SYNCHRONOUS_MODES, (s) => s.toUpperCase()) },
  // Logs go to stderr as JSON lines; stdout carries only the "listening" line.
  { key: 'logLevel', name: 'LOG_LEVEL', default: 'info', description: 'Log verbosity: debug, info, warn, error or silent. Logs are JSON lines on stderr.', parse: oneOf(LOG_LEVELS, (s) => s.toLowerCase()) },
  // Presence limits (defaults and why: DEFAULT_PRESENCE_LIMITS in server/src/room/PresenceRelay.ts).
  // Our client's state measures ~1 KB, 31 KB with 1,000 shapes selected; 64 KiB fits a select-all of ~2,000.
  { key: 'maxPresenceStateBytes', name: 'MAX_PRESENCE_STATE_BYTES', default: String(64 * 1024), description: "Largest presence state (cursor, name, selection; bytes of its JSON) one person may send; a larger one is dropped, never relayed, and the sender is told once (presence-too-large).", parse: integer(1024) },
  // Browsers announce one client id per connection; the rest is slack.
  { key: 'maxPresenceClientsPerSocket', name: 'MAX_PRESENCE_CLIENTS_PER_SOCKET', default: '4', description: 'Presence client ids one connection may announce; entries for further ids are dropped (presence-too-many-clients).', parse: integer(1, 1000) },
  // Our client sends 1 entry per frame; a stock y-websocket client echoes up to one per person in the room.
  { key: 'maxPresenceEntriesPerFrame', name: 'MAX_PRESENCE_ENTRIES_PER_FRAME', default: '1000', description: 'Presence entries one websocket frame may carry; a frame with more is dropped whole without being read (presence-frame-too-large).', parse: integer(1) },
  // A municipality's people often share one office address, so this must cover a whole team in
  // one room; each browser counts once (reloads keep their voter), and the facilitator sees
  // voters next to people present, so ids minted within the limit are visible, not hidden.
  { key: 'votersPerAddressPerHour', name: 'VOTERS_PER_ADDRESS_PER_HOUR', default: '60', description: 'New voter ids (one per browser) issued per board to one network address within an hour; beyond it 429 too-many-voters. Raise it when more people than this vote from one shared network (an IPv6 /64 counts as one address).', parse: integer(1) },
  // An organiser preparing a series of workshops makes a handful of boards an hour; a script made 272/s.
  { key: 'boardsPerHourPerAddress', name: 'BOARDS_PER_HOUR_PER_ADDRESS', default: '30', description: 'Boards one address (an IPv6 address with its /64) may create per hour; more are refused with 429 too-many-boards. 0: no limit.', parse: integer(0) },
  // A workshop board with photos of flip-charts holds tens of images; 500 leaves room and bounds the disk.
  { key: 'maxImagesPerBoard', name: 'MAX_IMAGES_PER_BOARD', default: '500', description: 'Images one board may hold; more are refused with 413 board-images-full. 0: no limit.', parse: integer(0) },
  { key: 'maxImageBytesPerBoard', name: 'MAX_IMAGE_BYTES_PER_BOARD', default: String(500 * MiB), description: 'Bytes of images one board may hold; more are refused with 413 board-images-full. 0: no limit.', parse: integer(0) },
  // A room pasting photos in a busy minute stays well under; one key flooding the disk does not.
  { key: 'uploadsPerHourPerBoard', name: 'UPLOADS_PER_HOUR_PER_BOARD', default: '200', description: 'Image uploads one board accepts per hour; more are refused with 429 too-many-uploads. 0: no limit.', parse: integer(0) },
  { key: 'uploadsPerHourPerAddress', name: 'UPLOADS_PER_HOUR_PER_ADDRESS', default: '200', description: 'Image uploads one address (an IPv6 address with its /64) may make per hour, over all boards; more are refused with 429 too-many-uploads. 0: no limit.', parse: integer(0) },
  // Undo, a redo after a reload and offline browsers bring a removed image back within a working day.
  { key: 'unusedImageGraceMs', name: 'UNUSED_IMAGE_GRACE_MS', default: String(24 * 60 * 60 * 1000), description: 'Milliseconds after its upload an image that no document of its board refers to any more is deleted (default 24 hours, so undo and offline browsers can still bring it back).', parse: integer(100) },
  // One per participant's browser; a municipality's biggest sessions have a few hundred people.
  { key: 'maxPrivateDocumentsPerBoard', name: 'MAX_PRIVATE_DOCUMENTS_PER_BOARD', default: '1000', description: 'Private documents (one per participant browser, private mode) one board may have; a new one beyond it is closed with 4430 too-many-private-documents. 0: no limit.', parse: integer(0) },
  // Sent as CSP frame-ancestors and X-Frame-Options: who may show the app inside a frame.
  { key: 'frameAncestors', name: 'FRAME_ANCESTORS', default: "'self'", description: "Who may show the app in a frame (CSP frame-ancestors): 'self', 'none', or origins such as https://intranet.example.org separated by spaces.", parse: frameAncestorList },
] as const satisfies readonly Field<keyof Config>[]

/** The configuration table as data (for README and docs): name, default, description. */
export const CONFIG_FIELDS: readonly { name: string; default: string | undefined; description: string }[] = FIELDS.map(
  ({ name, default: def, description }) => ({ name, default: def, description }),
)

/** Reads and validates the configuration from `env`; the error names the variable. */
export function loadConfig(env: Record<string, string | undefined>): Result<Config, string> {
  const config: Record<string, unknown> = {}
  for (const field of FIELDS as readonly Field<keyof Config>[]) {
    const raw = env[field.name] ?? field.default ?? ''
    const parsed = field.parse(raw)
    if (!parsed.ok) return err(`Invalid ${field.name}: ${parsed.error}`)
    config[field.key] = parsed.value
  }
  const result = config as unknown as Config
  return ok({ ...result, dataDir: path.resolve(result.dataDir) })
}

/**
 * The sync wire protocol, declared once for client and server.
 *
 * The first varint of every websocket frame is the message type. Types 0-3 are
 * the standard y-websocket ones (so the stock `WebsocketProvider` connects
 * unchanged); our own application messages start at 100 so they never collide
 * with a future y-protocols type. See docs/api.md for the grammar.
 */

/** Bumped when a change to our own message types is not backwards compatible. */
export const PROTOCOL_VERSION = 1

/** Outer message types of a websocket frame. */
export const MessageType = {
  /** y-protocols sync: step 1, step 2 or update. */
  Sync: 0,
  /** y-protocols awareness update (presence: cursors, names; never stored). */
  Awareness: 1,
  /** y-protocols auth (permission denied). */
  Auth: 2,
  /** Ask the server to send the full awareness state. */
  QueryAwareness: 3,
  /** Ours: a JSON status notice from the server, e.g. storage degraded / restored. */
  Status: 100,
} as const

/**
 * Why the server dropped part of a client's presence (awareness) frame. Each is
 * told once per connection; the entries are dropped, the connection stays.
 * - `presence-too-large`: one state's JSON is over the server's size limit;
 * - `presence-not-yours`: the entry is for a client id another connection announced (or the server's own);
 * - `presence-too-many-clients`: the connection already speaks for as many client ids as one may;
 * - `presence-frame-too-large`: the frame carries more entries than one may (dropped whole).
 */
export const PRESENCE_REFUSALS = ['presence-too-large', 'presence-not-yours', 'presence-too-many-clients', 'presence-frame-too-large'] as const
export type PresenceRefusal = (typeof PRESENCE_REFUSALS)[number]

/**
 * Every reason a `refused` notice may give: why the server refused (or undid part of) a client's change:
 * - `read-only`: a viewer's link cannot change the board;
 * - `facilitator-only`: locked content, session state, glossary or a facilitator-only setting;
 * - `invalid-record`: a record the board's schema (or the editor's rich text) does not accept,
 *   a shape without an existing parent, or a schema this server does not run;
 * - `invalid-update`: an update that does not fit the document's layout (refused whole);
 * - `board-full`: the board reached its size limit (MAX_BOARD_BYTES); only deletions are taken;
 * - `too-many-writers`: the update brings more new Yjs client ids than one update, connection or
 *   hour may (server/src/room/NewWriters.ts); refused whole and the connection closed (4431);
 * - the presence reasons above.
 */
export const REFUSAL_REASONS = ['read-only', 'facilitator-only', 'invalid-record', 'invalid-update', 'board-full', 'too-many-writers', ...PRESENCE_REFUSALS] as const
export type RefusalReason = (typeof REFUSAL_REASONS)[number]

/** Body of a `MessageType.Status` frame (JSON after the type varint). */
export type StatusNotice =
  | { kind: 'storage'; ok: boolean }
  | { kind: 'hello'; protocolVersion: number; readOnly: boolean }
  /** The server refused or undid part of this client's change (a viewer's edit, a participant touching facilitator-only state). */
  | { kind: 'refused'; reason: RefusalReason }

/** A named reason for closing a websocket, shared so both sides speak of it the same way. */
export interface CloseReason {
  code: number
  reason: string
  /** If true the client should not reconnect automatically: retrying cannot help. */
  permanent: boolean
}

/**
 * Every expected reason the server closes a sync connection. Codes are in the
 * 4000-4999 range the websocket spec leaves to applications, mirroring HTTP
 * status codes where one fits.
 */
export const Close = {
  badMessage: { code: 4400, reason: 'bad-message', permanent: false },
  unauthorized: { code: 4401, reason: 'unauthorized', permanent: true },
  forbidden: { code: 4403, reason: 'forbidden', permanent: true },
  unknownBoard: { code: 4404, reason: 'unknown-board', permanent: true },
  tooSlow: { code: 4408, reason: 'too-slow', permanent: false },
  /** The link's key was replaced by a facilitator: this link no longer opens the board. */
  linkRevoked: { code: 4409, reason: 'link-revoked', permanent: true },
  boardDeleted: { code: 4410, reason: 'board-deleted', permanent: true },
  messageTooLarge: { code: 4413, reason: 'message-too-large', permanent: false },
  /** The update does not fit the board document's layout (too deep, unknown root, wrong content); refused whole. */
  invalidUpdate: { code: 4422, reason: 'invalid-update', permanent: false },
  protocolTooOld: { code: 4426, reason: 'protocol-too-old', permanent: true },
  /** More document updates per second than MAX_UPDATES_PER_SECOND allows; the client reconnects and resyncs. */
  tooManyUpdates: { code: 4429, reason: 'too-many-updates', permanent: false },
  /** A new private document beyond MAX_PRIVATE_DOCUMENTS_PER_BOARD: the board has as many as it may. */
  /** An update bringing more new Yjs client ids than allowed (NewWriters.ts); the client reconnects. */
  tooManyWriters: { code: 4431, reason: 'too-many-writers', permanent: false },
  tooManyPrivateDocuments: { code: 4430, reason: 'too-many-private-documents', permanent: true },
  serverError: { code: 4500, reason: 'server-error', permanent: false },
  loadFailed: { code: 4502, reason: 'load-failed', permanent: false },
  shuttingDown: { code: 4503, reason: 'server-shutting-down', permanent: false },
} as const satisfies Record<string, CloseReason>

export type CloseName = keyof typeof Close

/** Looks up a close reason by its numeric code (undefined for codes that are not ours). */
export function closeReasonByCode(code: number): (CloseReason & { name: CloseName }) | undefined {
  for (const [name, value] of Object.entries(Close) as [CloseName, CloseReason][]) {
    if (value.code === code) return { ...value, name }
  }
  return undefined
}

/** Path prefix of the websocket sync endpoint: `ws://HOST/sync/<boardId>`. */
export const SYNC_PATH = '/sync'

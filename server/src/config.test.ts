import { describe, expect, it } from 'vitest'
import { CONFIG_FIELDS, loadConfig } from './config'

describe('config', () => {
  it('has working defaults', () => {
    const config = loadConfig({})
    expect(config.ok && config.value).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: null,
      tldrawLicenseKey: null,
      boardCreationCode: null,
      maxMessageBytes: 16 * 1024 * 1024,
      maxBufferedBytes: 8 * 1024 * 1024,
      roomIdleMs: 30000,
      compactAfterUpdates: 500,
      maxAssetBytes: 10 * 1024 * 1024,
      sqliteSynchronous: 'NORMAL',
      logLevel: 'info',
    })
  })

  it('names the variable and the problem for a bad value', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'eighty' }, /^Invalid PORT: must be a whole number/],
      [{ PORT: '70000' }, /^Invalid PORT: must be between 0 and 65535/],
      [{ SQLITE_SYNCHRONOUS: 'OFF' }, /^Invalid SQLITE_SYNCHRONOUS: must be one of NORMAL, FULL/],
      [{ PUBLIC_URL: 'board.example.org' }, /^Invalid PUBLIC_URL/],
      [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL/],
      [{ MAX_BUFFERED_BYTES: '-1' }, /^Invalid MAX_BUFFERED_BYTES/],
    ]
    for (const [env, message] of cases) {
      const config = loadConfig(env)
      expect(config.ok).toBe(false)
      if (!config.ok) expect(config.error).toMatch(message)
    }
  })

  describe('BOARD_CREATION_CODE', () => {
    const codeOf = (value: string | undefined) => {
      const config = loadConfig(value === undefined ? {} : { BOARD_CREATION_CODE: value })
      return config.ok ? { code: config.value.boardCreationCode } : { error: config.error }
    }

    it('is unset by default, and blank counts as unset: anyone may create boards', () => {
      expect(codeOf(undefined)).toEqual({ code: null })
      expect(codeOf('')).toEqual({ code: null })
      expect(codeOf('   ')).toEqual({ code: null })
    })

    it('keeps a code of 8 characters or more, without the spaces around it', () => {
      expect(codeOf('Leuven-2026')).toEqual({ code: 'Leuven-2026' })
      expect(codeOf('  abcdefgh\n')).toEqual({ code: 'abcdefgh' })
      expect(codeOf('green river 42')).toEqual({ code: 'green river 42' })
    })

    it('refuses a code that is too short, naming the variable but never repeating the code', () => {
      const short = codeOf('abc1234')
      expect(short).toEqual({ error: 'Invalid BOARD_CREATION_CODE: must be at least 8 characters long, got 7' })
      expect(JSON.stringify(short)).not.toContain('abc1234')
    })

    it('refuses a code a browser could not send in a header', () => {
      const accented = codeOf('organización')
      expect(accented).toEqual({ error: expect.stringMatching(/^Invalid BOARD_CREATION_CODE: must be printable ASCII/) })
      expect(JSON.stringify(accented)).not.toContain('organización')
      expect(codeOf('abcd\tefgh')).toEqual({ error: expect.stringMatching(/^Invalid BOARD_CREATION_CODE/) })
    })
  })

  it('accepts frame ancestors as CSP sources only', () => {
    const ancestors = (value: string) => {
      const config = loadConfig({ FRAME_ANCESTORS: value })
      return config.ok ? config.value.frameAncestors : { error: config.error }
    }
    expect(ancestors("'self'")).toEqual(["'self'"])
    expect(ancestors("'self' https://intranet.example.org https://*.gemeente.nl:8443")).toEqual(["'self'", 'https://intranet.example.org', 'https://*.gemeente.nl:8443'])
    expect(ancestors("'none'")).toEqual(["'none'"])
    // A value that would add a directive (or anything else) to the header is refused.
    expect(ancestors("'self'; script-src *")).toEqual({ error: expect.stringMatching(/^Invalid FRAME_ANCESTORS/) })
    expect(ancestors("'none' 'self'")).toEqual({ error: expect.stringMatching(/^Invalid FRAME_ANCESTORS/) })
    const defaults = loadConfig({})
    expect(defaults.ok && defaults.value).toMatchObject({ frameAncestors: ["'self'"], boardsPerHourPerAddress: 30, maxPrivateDocumentsPerBoard: 1000 })
  })

  it('documents every variable', () => {
    expect(CONFIG_FIELDS.map((field) => field.name)).toEqual([
      'PORT', 'HOST', 'DATA_DIR', 'PUBLIC_URL', 'TLDRAW_LICENSE_KEY', 'BOARD_CREATION_CODE', 'MAX_MESSAGE_BYTES', 'MAX_BUFFERED_BYTES',
      'ROOM_IDLE_MS', 'COMPACT_AFTER_UPDATES', 'MAX_ASSET_BYTES', 'MAX_BOARD_BYTES', 'MAX_UPDATES_PER_SECOND', 'SQLITE_SYNCHRONOUS', 'LOG_LEVEL',
      'MAX_PRESENCE_STATE_BYTES', 'MAX_PRESENCE_CLIENTS_PER_SOCKET', 'MAX_PRESENCE_ENTRIES_PER_FRAME',
      'VOTERS_PER_ADDRESS_PER_HOUR',
      'BOARDS_PER_HOUR_PER_ADDRESS', 'MAX_IMAGES_PER_BOARD', 'MAX_IMAGE_BYTES_PER_BOARD', 'UPLOADS_PER_HOUR_PER_BOARD',
      'UPLOADS_PER_HOUR_PER_ADDRESS', 'UNUSED_IMAGE_GRACE_MS', 'MAX_PRIVATE_DOCUMENTS_PER_BOARD', 'FRAME_ANCESTORS',
    ])
    for (const field of CONFIG_FIELDS) expect(field.description.length).toBeGreaterThan(10)
  })
})

describe('presence limits', () => {
  it('default to the room core’s own defaults, and refuse nonsense', async () => {
    const { DEFAULT_PRESENCE_LIMITS } = await import('./room/PresenceRelay')
    const config = loadConfig({})
    expect(config.ok && config.value).toMatchObject({
      maxPresenceStateBytes: DEFAULT_PRESENCE_LIMITS.maxStateBytes,
      maxPresenceClientsPerSocket: DEFAULT_PRESENCE_LIMITS.maxClientsPerSocket,
      maxPresenceEntriesPerFrame: DEFAULT_PRESENCE_LIMITS.maxEntriesPerFrame,
    })
    for (const env of [{ MAX_PRESENCE_STATE_BYTES: '10' }, { MAX_PRESENCE_CLIENTS_PER_SOCKET: '0' }, { MAX_PRESENCE_ENTRIES_PER_FRAME: 'many' }]) {
      const result = loadConfig(env)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error).toMatch(new RegExp(`^Invalid ${Object.keys(env)[0]}:`))
    }
  })
})

describe('VOTERS_PER_ADDRESS_PER_HOUR', () => {
  it('defaults to 60 new voters per address, board and hour, and refuses 0', () => {
    const config = loadConfig({})
    expect(config.ok && config.value.votersPerAddressPerHour).toBe(60)
    const raised = loadConfig({ VOTERS_PER_ADDRESS_PER_HOUR: '250' })
    expect(raised.ok && raised.value.votersPerAddressPerHour).toBe(250)
    const zero = loadConfig({ VOTERS_PER_ADDRESS_PER_HOUR: '0' })
    expect(!zero.ok && zero.error).toMatch(/^Invalid VOTERS_PER_ADDRESS_PER_HOUR/)
  })
})

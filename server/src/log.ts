/**
 * Structured logging as JSON lines on stderr, so stdout stays free for the
 * single "listening" line that scripts and tests parse.
 */
import { LOG_LEVELS, type LogLevel } from './config'

/** Fields attached to a log line (board ids, counts, errors). */
export type LogFields = Record<string, unknown>

/** The logger every module receives; no module writes to the console itself. */
export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}

/** A logger printing lines at `level` and above. */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const threshold = LOG_LEVELS.indexOf(level)
  const at = (lineLevel: Exclude<LogLevel, 'silent'>) => (message: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return
    const entry: LogFields = { time: new Date().toISOString(), level: lineLevel, msg: message }
    for (const [key, value] of Object.entries(fields)) entry[key] = serialise(value)
    write(JSON.stringify(entry) + '\n')
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = createLogger('silent', () => {})

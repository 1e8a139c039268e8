/**
 * Entry point: `node --import tsx server/src/main.ts`. Prints exactly one line
 * on stdout once listening (scripts and tests parse it); logs go to stderr.
 */
import { loadConfig } from './config'
import { startServer } from './createServer'
import { createLogger } from './log'

const config = loadConfig(process.env)
if (!config.ok) {
  process.stderr.write(`workshop-whiteboard: ${config.error}\n`)
  process.exit(1)
}
const log = createLogger(config.value.logLevel)

// If whatever reads our output goes away (a log shipper restarts, a `| tee` is killed), the next
// write fails with EPIPE; losing the log must cost the operator the log, not everyone their workshop.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {})

process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }))

try {
  const server = await startServer(config.value, log)
  const { address, port } = server.address
  const host = address.includes(':') ? `[${address}]` : address
  process.stdout.write(`workshop-whiteboard listening on http://${host}:${port}\n`)
  log.info('listening', { host: address, port, dataDir: config.value.dataDir })

  const stop = (signal: string) => {
    log.info('shutting down', { signal })
    // A hung shutdown must not keep a deploy waiting forever; the update log is already on disk.
    setTimeout(() => {
      log.error('shutdown took too long; exiting')
      process.exit(1)
    }, 20_000).unref()
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error })
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
} catch (error) {
  log.error('failed to start', { error })
  process.stderr.write(`workshop-whiteboard: failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}

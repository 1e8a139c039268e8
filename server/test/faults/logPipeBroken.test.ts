/**
 * Fault: whatever reads the server's log goes away while the server runs:
 * journald or a log shipper restarts, the `tee` in `npm run serve | tee log`
 * is killed, a supervisor's pipe is closed. The next log line then hits a
 * broken pipe (EPIPE).
 *
 * What a user would notice if it went wrong: losing the log must cost the
 * operator the log, not every participant their workshop.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { getRecordsMap, putRecord } from '../../../shared/documentLayout'
import { connectClient, createBoard, health, syncUrl, waitFor, type TestClient } from '../../test-utils/startServer'
import { noteRecord, sleep } from './helpers/boardState'
import { startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'
import { rawSocket } from './helpers/rawSocket'

describe('the log reader disappears', () => {
  let server: FixedPortServer | undefined
  const clients: TestClient[] = []
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.kill9()
  })

  it('keeps serving after its stderr pipe is closed and it logs again', async () => {
    server = await startFixedPortServer({ env: { LOG_LEVEL: 'info' } })
    const board = await createBoard(server.url, 'Quiet log')
    const ana = connectClient(server.wsUrl, board.id)
    const bram = connectClient(server.wsUrl, board.id)
    clients.push(ana, bram)
    await Promise.all([ana.synced, bram.synced])

    server.proc.stderr?.destroy()
    await sleep(100)
    // Anything that logs will do; a garbage frame is logged at info.
    const rogue = rawSocket(syncUrl(server.wsUrl, board.id))
    await rogue.opened
    rogue.ws.send(new Uint8Array([0xff, 0xff, 0xff]))
    await rogue.closed
    await sleep(300)

    expect(server.proc.exitCode, 'server exit code after logging to a closed pipe').toBeNull()
    expect((await health(server.url)).ok).toBe(true)
    putRecord(getRecordsMap(ana.doc), noteRecord('shape:still-here', 1, 1, 'still here'))
    await waitFor(() => getRecordsMap(bram.doc).has('shape:still-here'), 'Bram to see Ana\'s edit')
  })
})

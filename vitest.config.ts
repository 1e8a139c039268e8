import { defineConfig } from 'vitest/config'

// Tests run in Node against real parts: a real server process, real SQLite
// files, stock y-websocket clients, and Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    include: ['{shared,server,client,e2e,bench}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and server-process tests compete for two cores; keep files from oversubscribing them.
    maxWorkers: 2,
  },
})

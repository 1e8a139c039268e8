import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirInUseError, LOCK_FILE, lockDataDir } from './dataDirLock'

describe('data directory lock', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whiteboard-lock-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a directory another live process owns, naming DATA_DIR and the pid', async () => {
    const dir = tempDir()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'])
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE), `${other.pid}\n`)
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError)
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`^DATA_DIR .*\\(pid ${other.pid}\\)`))
    } finally {
      other.kill('SIGKILL')
    }
  })

  it('takes over a lock left by a process that died, and releases it', async () => {
    const dir = tempDir()
    const dead = spawn(process.execPath, ['-e', ''])
    await new Promise((resolve) => dead.on('exit', resolve))
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${dead.pid}\n`)
    const release = lockDataDir(dir)
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid))
    release()
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false)
  })
})

/**
 * Facilitator story: pick a template when creating a board; the board is
 * complete (frames, prompts, card, in the board's language) before anyone
 * connects. A broken template folder stops the server at start-up, naming it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import type { BoardAccess } from '../../shared/api'
import { getRecordsMap, yMapToRecord } from '../../shared/documentLayout'
import { LANGUAGES } from '../../shared/languages'
import { validateTemplateFolder, type TemplateSummary } from '../../shared/templates'
import { loadConfig } from '../src/config'
import { startServer as startInProcess } from '../src/createServer'
import { createLogger } from '../src/log'
import { DATABASE_FILE } from '../src/storage/SqliteStorage'
import { TEMPLATES_DIR } from '../src/templates/loadTemplates'
import { connectClient, startServer, type TestServer } from '../test-utils/startServer'
import stakeholdersEs from '../../templates/stakeholder-analysis/texts.es.json'
import focusTemplate from '../../templates/focus-sharpener/template.json'
import focusNl from '../../templates/focus-sharpener/texts.nl.json'

describe('templates over HTTP', () => {
  let server: TestServer
  const post = (body: unknown) =>
    fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('lists the templates with name, purpose, time and group size in every language', async () => {
    const res = await fetch(`${server.url}/api/templates`)
    expect(res.status).toBe(200)
    const list = (await res.json()) as TemplateSummary[]
    const stakeholders = list.find((t) => t.id === 'stakeholder-analysis')
    expect(stakeholders?.texts.es).toEqual({
      name: stakeholdersEs.name,
      purpose: stakeholdersEs.purpose,
      timeNeeded: stakeholdersEs.timeNeeded,
      groupSize: stakeholdersEs.groupSize,
    })
    expect(stakeholders?.texts.nl.name).toBe('Stakeholderanalyse')
    expect(list.map((t) => t.id)).toContain('focus-sharpener')
  })

  it('sends a miniature of each layout with the list, for the gallery', async () => {
    const list = (await (await fetch(`${server.url}/api/templates`)).json()) as TemplateSummary[]
    const focus = list.find((t) => t.id === 'focus-sharpener')!
    const frames = focus.preview.boxes.filter((b) => b.kind === 'frame')
    expect(frames.map((f) => f.color)).toEqual(focusTemplate.frames.map((f) => f.color))
    expect(frames.map((f) => f.w)).toEqual(focusTemplate.frames.map((f) => f.w))
    expect(list.every((t) => t.preview.boxes.length > 0 && t.preview.w > 0)).toBe(true)
  })

  it('serves one template: its layout and its texts in every language, as on disk', async () => {
    const res = await fetch(`${server.url}/api/templates/focus-sharpener`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await res.json()) as { definition: unknown; texts: Record<string, Record<string, string>> }
    expect(body.definition).toEqual(focusTemplate)
    expect(body.texts.nl).toEqual(focusNl)
    expect(Object.keys(body.texts).sort()).toEqual([...LANGUAGES].sort())
    // What the in-board panel does with it: the one template validator accepts it as it arrives.
    const checked = validateTemplateFolder({
      folder: 'focus-sharpener',
      templateFile: 'response',
      template: body.definition,
      textsFiles: { en: { file: 'en', json: body.texts.en }, nl: { file: 'nl', json: body.texts.nl }, es: { file: 'es', json: body.texts.es } },
    })
    expect(checked.ok).toBe(true)
  })

  it('answers an unknown template with 404 in our JSON error format', async () => {
    for (const id of ['swot-analysis', '__proto__', 'constructor', '%ZZ', 'FOCUS-SHARPENER']) {
      const res = await fetch(`${server.url}/api/templates/${id}`)
      expect(res.status, id).toBe(404)
      expect(res.headers.get('content-type'), id).toMatch(/^application\/json/)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code, id).toBe('not-found')
      expect(typeof body.error.message).toBe('string')
    }
  })

  it('creates a board from a template, seeded in the board language before anyone connects', async () => {
    const res = await post({ title: 'Actores Tarija', language: 'es', template: 'stakeholder-analysis' })
    expect(res.status).toBe(201)
    const { board, keys } = (await res.json()) as BoardAccess
    expect(board).toMatchObject({ title: 'Actores Tarija', language: 'es' })
    expect(board).not.toHaveProperty('template')

    const client = connectClient(server.wsUrl, board.id, { key: keys.participant! })
    try {
      await client.synced
      const records = [...getRecordsMap(client.doc).values()].map(yMapToRecord)
      const frames = records.filter((r) => r.type === 'frame')
      expect(frames.map((f) => (f.props as { name: string }).name).sort()).toEqual(
        [stakeholdersEs['grid.heading'], stakeholdersEs['participation.heading']].sort(),
      )
      expect(frames.every((f) => f.isLocked === true && f.parentId === 'page:page')).toBe(true)
      expect(records.filter((r) => r.type === 'note').length).toBeGreaterThan(0)
      expect(records.some((r) => r.typeName === 'page')).toBe(true)
    } finally {
      client.destroy()
    }
  })

  it('refuses an unknown template with 400 naming the field, creating nothing', async () => {
    const boardCount = () => {
      const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true })
      try {
        return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM boards').get()!.n
      } finally {
        db.close()
      }
    }
    const before = boardCount()
    const res = await post({ title: 'x', language: 'en', template: 'swot-analysis' })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 'invalid-field', field: 'template' })
    expect(boardCount()).toBe(before)
  })

  it('still creates a blank board without a template', async () => {
    const res = await post({ title: 'Leeg', language: 'nl' })
    expect(res.status).toBe(201)
  })
})

describe('a broken template at start-up', () => {
  it('stops the server with a message naming the file and the field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whiteboard-templates-'))
    try {
      fs.cpSync(path.join(TEMPLATES_DIR, 'focus-sharpener'), path.join(dir, 'focus-sharpener'), { recursive: true })
      const file = path.join(dir, 'focus-sharpener', 'template.json')
      const template = JSON.parse(fs.readFileSync(file, 'utf8'))
      template.frames[0].h = 'tall'
      fs.writeFileSync(file, JSON.stringify(template))
      const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), PORT: '0' })
      if (!config.ok) throw new Error(config.error)
      await expect(startInProcess(config.value, createLogger('error', () => {}), undefined, dir)).rejects.toThrow(
        'templates/focus-sharpener/template.json: frames[0].h: expected a number',
      )
      expect(fs.existsSync(path.join(dir, 'data'))).toBe(false) // refused before touching storage
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

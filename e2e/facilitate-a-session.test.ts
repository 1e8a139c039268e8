/**
 * User story: a facilitator steers a session with a participant and a viewer
 * present. A timer everyone sees count down; everyone brought to the
 * facilitator's view; a spotlight on one frame; "follow me" that a
 * participant can leave and rejoin; a note locked for participants; a raised
 * hand seen by the facilitator and lowered by them.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { addNote, eventually, noteTexts, setCamera, viewportCenter } from './support/board'
import { launchBrowser, type Person } from './support/browser'
import { arrive, leave, withEditor, type Server } from './support/people'

describe('a facilitator runs a session', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let facilitator: Person
  let participant: Person
  let viewer: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Sesión plenaria', 'es')
    ;[facilitator, participant, viewer] = await arrive(browser, server, board, [
      { name: 'Fien', language: 'nl', role: 'facilitator' },
      { name: 'Pablo', language: 'es', role: 'participant' },
      { name: 'Vera', language: 'en', role: 'viewer' },
    ])
  })

  afterAll(async () => {
    await leave(browser, server, [facilitator, participant, viewer])
  })

  it("shows each person's organisation, language and local time to the facilitator", async () => {
    await participant.page.locator('[data-testid="person"][data-self="true"] [data-testid="change-name"]').click()
    await participant.page.getByTestId('organisation-input').fill('Municipio de Cochabamba')
    await participant.page.getByTestId('profile-time-zone').selectOption('America/La_Paz')
    await participant.page.getByTestId('name-submit').click()
    const line = facilitator.page.locator('[data-testid="person"][data-name="Pablo"] [data-testid="person-profile"]')
    const text = await eventually(async () => ((await line.count()) ? await line.textContent() : ''), (t) => (t ?? '').includes('Cochabamba'))
    expect(text).toMatch(/Municipio de Cochabamba · ES · \d{2}:\d{2}/)
    expect(await line.getAttribute('title')).toBe('America/La_Paz')
  })

  it('shows the facilitation panel to the facilitator only', async () => {
    await facilitator.page.getByTestId('facilitator-panel').waitFor()
    expect(await participant.page.getByTestId('facilitator-panel').count()).toBe(0)
    expect(await viewer.page.getByTestId('facilitator-panel').count()).toBe(0)
  })

  it('runs a timer everyone sees counting down, paused, and given an extra minute', async () => {
    const { page } = facilitator
    await page.getByTestId('timer-minutes').fill('2')
    await page.getByTestId('timer-set').click()
    await page.getByTestId('timer-start').click()
    for (const person of [participant, viewer]) {
      const timer = person.page.getByTestId('session-timer')
      await timer.waitFor()
      // "Set" already shows 2:00, not yet running: wait for the start to arrive too.
      expect(await eventually(() => timer.getAttribute('data-running'), (running) => running === 'true')).toBe('true')
      const seconds = Number(await eventually(() => timer.getAttribute('data-remaining-seconds'), (s) => Number(s) > 0 && Number(s) <= 120))
      expect(seconds).toBeGreaterThan(110)
      // Its end in this person's own clock, in their language.
      expect(await timer.textContent()).toMatch(/\d{1,2}:\d{2}/)
    }
    await page.getByTestId('timer-pause').click()
    const paused = await eventually(() => participant.page.getByTestId('session-timer').getAttribute('data-running'), (v) => v === null)
    expect(paused).toBeNull()
    const left = Number(await participant.page.getByTestId('session-timer').getAttribute('data-remaining-seconds'))
    await page.getByTestId('timer-add-minute').click()
    expect(Number(await eventually(() => participant.page.getByTestId('session-timer').getAttribute('data-remaining-seconds'), (s) => Number(s) >= left + 59))).toBeLessThanOrEqual(left + 60)
  })

  it('brings everyone to the facilitator\'s view', async () => {
    await setCamera(participant, { x: -5000, y: -3000, z: 1 })
    await setCamera(facilitator, { x: 800, y: 400, z: 1 })
    const target = await viewportCenter(facilitator)
    await facilitator.page.getByTestId('summon').click()
    for (const person of [participant, viewer]) {
      const center = await eventually(() => viewportCenter(person), (c) => Math.hypot(c.x - target.x, c.y - target.y) < 2)
      expect(Math.hypot(center.x - target.x, center.y - target.y)).toBeLessThan(2)
    }
    // The summoner's own camera stays where it was (its centre may shift by a few units if a
    // toast or panel changes the canvas size, so compare the camera, not the centre).
    expect(await withEditor(facilitator.page, `const c = editor.getCamera(); return { x: c.x, y: c.y, z: c.z }`)).toEqual({ x: 800, y: 400, z: 1 })
  })

  it('puts one frame in the spotlight for everyone', async () => {
    const frameId = await withEditor<string>(
      facilitator.page,
      `const id = 'shape:spot-frame'; editor.createShape({ id, type: 'frame', x: -600, y: -350, props: { w: 500, h: 300, name: 'Plenario' } }); editor.select(id); return id`,
    )
    await facilitator.page.getByTestId('spotlight-set').click()
    for (const person of [participant, viewer]) {
      const spot = person.page.getByTestId('spotlight')
      await spot.waitFor()
      expect(await spot.getAttribute('data-shape-id')).toBe(frameId)
    }
    await facilitator.page.getByTestId('spotlight-clear').click()
    await participant.page.getByTestId('spotlight').waitFor({ state: 'detached' })
  })

  it('lets a participant leave "follow me" and rejoin it', async () => {
    await facilitator.page.getByTestId('present').click()
    const bar = participant.page.getByTestId('presenter-bar')
    await bar.waitFor()
    await eventually(() => bar.getAttribute('data-following'), (v) => v === 'true')
    await setCamera(facilitator, { x: -1500, y: 200, z: 1 })
    const target = await viewportCenter(facilitator)
    await eventually(() => viewportCenter(participant), (c) => Math.hypot(c.x - target.x, c.y - target.y) < 50)

    await participant.page.getByTestId('presenter-leave').click()
    await participant.page.getByTestId('presenter-rejoin').waitFor()
    await setCamera(facilitator, { x: 2500, y: 900, z: 1 })
    await participant.page.waitForTimeout(800)
    const away = await viewportCenter(participant)
    expect(Math.hypot(away.x - target.x, away.y - target.y)).toBeLessThan(50) // stayed put

    await participant.page.getByTestId('presenter-rejoin').click()
    const next = await viewportCenter(facilitator)
    await eventually(() => viewportCenter(participant), (c) => Math.hypot(c.x - next.x, c.y - next.y) < 50)
    await facilitator.page.getByTestId('present').click()
    await bar.waitFor({ state: 'detached' })
  })

  it('keeps a note the facilitator locked as it is, whatever the participant does', async () => {
    await withEditor(
      facilitator.page,
      `editor.createShape({ id: 'shape:rules', type: 'note', x: 100, y: 100 }); editor.select('shape:rules')`,
    )
    await facilitator.page.getByTestId('lock-selection').click()
    await eventually(() => withEditor<boolean>(participant.page, `return editor.getShape('shape:rules')?.meta?.facilitatorLock === true`), (v) => v)
    // Unlock and move through the editor, as a participant's clicks would.
    await withEditor(participant.page, `editor.run(() => editor.updateShape({ id: 'shape:rules', type: 'note', isLocked: false, x: 900 }), { ignoreShapeLock: true }); editor.deleteShapes(['shape:rules'])`)
    await participant.page.waitForTimeout(500)
    for (const person of [participant, facilitator]) {
      expect(await withEditor(person.page, `const s = editor.getShape('shape:rules'); return s && { x: s.x, locked: s.isLocked }`)).toEqual({ x: 100, locked: true })
    }
    // Unlocked by the facilitator, it is the participant's to move again.
    await withEditor(facilitator.page, `editor.select('shape:rules')`)
    await facilitator.page.getByTestId('lock-selection').click()
    await eventually(() => withEditor<boolean>(participant.page, `return editor.getShape('shape:rules')?.isLocked === false`), (v) => v)
    await withEditor(participant.page, `editor.updateShape({ id: 'shape:rules', type: 'note', x: 700 })`)
    await eventually(() => withEditor<number>(facilitator.page, `return editor.getShape('shape:rules')?.x`), (x) => x === 700)
  })

  it('shows a raised hand to the facilitator, who lowers every hand', async () => {
    await participant.page.getByTestId('raise-hand').click()
    const hand = facilitator.page.locator('[data-testid="signal-hand"][data-name="Pablo"]')
    await hand.waitFor()
    await facilitator.page.locator('[data-testid="person"][data-name="Pablo"] [data-testid="hand-up"]').waitFor()
    await participant.page.getByTestId('react-clap').click()
    await facilitator.page.locator('[data-testid="signal-reaction"][data-name="Pablo"][data-kind="clap"]').waitFor()
    await facilitator.page.getByTestId('lower-hands').click()
    await hand.waitFor({ state: 'detached' })
    // Pablo's own hand comes down too, once the session state reaches him.
    expect(await eventually(() => participant.page.getByTestId('raise-hand').getAttribute('aria-pressed'), (v) => v === 'false')).toBe('false')
  })

  it('runs a dot vote: participants spend their votes, counts stay hidden until the facilitator reveals them', async () => {
    await withEditor(
      facilitator.page,
      `editor.createShape({ id: 'shape:vote-frame', type: 'frame', x: 2000, y: 0, props: { w: 900, h: 400, name: 'Prioridades' } });
       for (const [i, text] of ['Agua', 'Parques', 'Buses'].entries()) editor.createShape({ id: 'shape:idea-' + i, type: 'note', x: 2050 + i * 280, y: 100, props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } } });
       editor.select('shape:vote-frame'); editor.zoomToSelection()`,
    )
    await facilitator.page.getByTestId('vote-per-person').fill('2')
    await facilitator.page.getByTestId('vote-start').click()
    await facilitator.page.getByTestId('vote-open').waitFor()

    const { page } = participant
    await page.getByTestId('voting-bar').waitFor()
    await setCamera(participant, { x: -1900, y: 100, z: 1 })
    const plus = (id: string) => page.locator(`[data-testid="vote-controls"][data-shape-id="${id}"] [data-testid="vote-plus"]`)
    await plus('shape:idea-1').click()
    await eventually(() => page.getByTestId('voting-bar').getAttribute('data-remaining'), (v) => v === '1')
    await plus('shape:idea-1').click()
    await eventually(() => page.getByTestId('voting-bar').getAttribute('data-remaining'), (v) => v === '0')
    expect(await plus('shape:idea-2').isDisabled()).toBe(true)
    // The facilitator votes too; still no count anywhere.
    await setCamera(facilitator, { x: -1900, y: 100, z: 1 })
    await facilitator.page.locator('[data-testid="vote-controls"][data-shape-id="shape:idea-0"] [data-testid="vote-plus"]').click()
    await facilitator.page.waitForTimeout(300)
    for (const person of [facilitator, participant, viewer]) expect(await person.page.getByTestId('vote-badge').count()).toBe(0)

    await facilitator.page.getByTestId('vote-reveal').click()
    for (const person of [facilitator, participant, viewer]) {
      await person.page.getByTestId('vote-results').waitFor()
      const ranked = await person.page.getByTestId('vote-result').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-shape-id'), row.getAttribute('data-count')]))
      expect(ranked).toEqual([
        ['shape:idea-1', '2'],
        ['shape:idea-0', '1'],
      ])
    }
    // Each browser voted under the voter id the server issued it: two voters, shown to the
    // facilitator (Dutch) beside the people here who may vote; the others see voters and votes.
    const summary = facilitator.page.getByTestId('vote-summary')
    expect(await summary.getAttribute('data-voters')).toBe('2')
    expect(await eventually(() => summary.textContent(), (text) => text === '2 stemmers · 2 personen aanwezig · 3 stemmen')).toBe('2 stemmers · 2 personen aanwezig · 3 stemmen')
    expect(await facilitator.page.getByTestId('vote-more-voters').count()).toBe(0)
    expect(await participant.page.getByTestId('vote-summary').textContent()).toBe('2 votantes · 3 votos')
    await setCamera(viewer, { x: -1900, y: 100, z: 1 })
    expect(await viewer.page.locator('[data-testid="vote-badge"][data-shape-id="shape:idea-1"]').textContent()).toBe('2')
  })

  it('keeps participants\' notes private until the facilitator reveals them all', async () => {
    await facilitator.page.getByTestId('private-start').click()
    await participant.page.getByTestId('private-mode').waitFor()
    await setCamera(participant, { x: 0, y: 0, z: 1 })
    await addNote(participant.page, 640, 420, 'Idea privada de Pablo')
    // Pablo sees his note; nobody else's browser has received it.
    expect(await eventually(() => noteTexts(participant.page), (texts) => texts.includes('Idea privada de Pablo'))).toContain('Idea privada de Pablo')
    await facilitator.page.waitForTimeout(800)
    for (const person of [facilitator, viewer]) {
      expect(await noteTexts(person.page)).not.toContain('Idea privada de Pablo')
      const everything = await person.page.evaluate(() => JSON.stringify(window.__board!.doc.getMap('tl_records').toJSON()))
      expect(everything).not.toContain('Idea privada')
    }
    // Not even Pablo's own copy of the board holds it (it would reach the server on his next sync),
    // and his private document holds only his private note.
    const own = await participant.page.evaluate(() => ({
      board: JSON.stringify(window.__board!.doc.getMap('tl_records').toJSON()),
      mine: Object.keys(window.__privateDoc!.doc.getMap('tl_records').toJSON()),
    }))
    expect(own.board).not.toContain('Idea privada')
    expect(own.mine).toHaveLength(1)
    await facilitator.page.getByTestId('private-reveal').click()
    for (const person of [facilitator, viewer, participant]) {
      expect(await eventually(() => noteTexts(person.page), (texts) => texts.includes('Idea privada de Pablo'))).toContain('Idea privada de Pablo')
      await person.page.getByTestId('private-mode').waitFor({ state: 'detached' })
    }
    // Now an ordinary note: Pablo's later edits reach everyone.
    const id = await withEditor<string>(participant.page, `const note = editor.getCurrentPageShapes().find((s) => s.type === 'note' && editor.getShapeUtil(s).getText(s) === 'Idea privada de Pablo'); editor.updateShape({ id: note.id, type: 'note', x: note.x + 300 }); return note.id`)
    const movedX = await withEditor<number>(participant.page, `return editor.getShape(${JSON.stringify(id)}).x`)
    await eventually(() => withEditor<number>(facilitator.page, `return editor.getShape(${JSON.stringify(id)})?.x`), (x) => x === movedX)
  })

  it('made no request to any host but its own', () => {
    for (const person of [facilitator, participant, viewer]) expect(person.foreignRequests).toEqual([])
  })
})

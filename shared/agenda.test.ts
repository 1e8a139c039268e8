import { describe, expect, it } from 'vitest'
import { goToStep, instructionsFor, moveStep, parseAgenda, stepTimes, type Agenda } from './agenda'

const agenda: Agenda = {
  startsAt: 1_000_000,
  current: null,
  currentSince: null,
  steps: [
    { id: 'a', title: 'Welcome', minutes: 10, instructions: { en: 'Say hello', es: 'Saluden' }, frameId: 'shape:w', mode: 'plenary' },
    { id: 'b', title: 'Groups', minutes: 30, instructions: { nl: 'Werk in groepen' }, frameId: 'shape:g', mode: 'breakout' },
    { id: 'c', title: 'Harvest', minutes: 20, instructions: {}, frameId: null, mode: 'plenary' },
  ],
}

describe('agenda', () => {
  it('plans each step from the planned start, then from when the running step really began', () => {
    expect(stepTimes(agenda)).toEqual([
      { start: 1_000_000, end: 1_600_000 },
      { start: 1_600_000, end: 3_400_000 },
      { start: 3_400_000, end: 4_600_000 },
    ])
    // Step 2 started five minutes late: what is ahead moves, what is behind ends when it began.
    const late = goToStep(agenda, 1, 1_900_000)
    expect(stepTimes(late)).toEqual([
      { start: 1_300_000, end: 1_900_000 },
      { start: 1_900_000, end: 3_700_000 },
      { start: 3_700_000, end: 4_900_000 },
    ])
    expect(stepTimes({ ...agenda, startsAt: null })).toEqual([null, null, null])
  })

  it("shows instructions in the person's language, else in one it has", () => {
    expect(instructionsFor(agenda.steps[0], 'es')).toEqual({ text: 'Saluden', language: 'es' })
    expect(instructionsFor(agenda.steps[0], 'nl')).toEqual({ text: 'Say hello', language: 'en' })
    expect(instructionsFor(agenda.steps[1], 'es')).toEqual({ text: 'Werk in groepen', language: 'nl' })
    expect(instructionsFor(agenda.steps[2], 'en')).toBeNull()
  })

  it('moves steps and keeps the running one running', () => {
    const running = goToStep(agenda, 0, 5)
    const moved = moveStep(running, 'a', 1)
    expect(moved.steps.map((s) => s.id)).toEqual(['b', 'a', 'c'])
    expect(moved.current).toBe(1)
    expect(moveStep(agenda, 'a', -1)).toBe(agenda)
    expect(goToStep(agenda, 7, 5)).toBe(agenda)
    expect(goToStep(running, null, 9)).toMatchObject({ current: null, currentSince: null })
  })

  it('reads only what is well formed', () => {
    expect(parseAgenda(null).steps).toEqual([])
    const parsed = parseAgenda({ startsAt: 5, current: 9, steps: [{ id: 'x', title: 'T', minutes: -3, instructions: { en: 'go', fr: 'allez' }, mode: 'weird' }, { title: 'no id' }] })
    expect(parsed).toEqual({ startsAt: 5, current: null, currentSince: null, steps: [{ id: 'x', title: 'T', minutes: 0, instructions: { en: 'go' }, frameId: null, mode: 'plenary' }] })
  })
})

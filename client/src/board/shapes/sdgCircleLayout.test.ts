import { describe, expect, it } from 'vitest'
import { PILLARS, SDGS } from '../../../../shared/sdgs'
import { SDG_CIRCLE_VARIANTS } from '../../../../shared/sdgCircleShape'
import { LANGUAGES } from '../../../../shared/languages'
import { CHAR_WIDTH, layoutTheme, layoutWheel, LINE_HEIGHT, sectorPath, wrap, type WheelLabels } from './sdgCircleLayout'

const labels: WheelLabels = { coreTheme: 'Kern', positive: 'Positief', negative: 'Negatief', internal: 'Intern', local: 'Lokaal', global: 'Mondiaal' }

describe('SDG circle layout', () => {
  for (const variant of SDG_CIRCLE_VARIANTS) {
    it(`${variant}: draws the 17 goals once each, in their official colours, with names in the chosen language`, () => {
      const layout = layoutWheel(variant, 'nl', labels)
      const goals = layout.cells.filter((c) => c.kind === 'goal')
      expect(goals.map((c) => c.sdg).sort((a, b) => a! - b!)).toEqual(SDGS.map((g) => g.number))
      for (const cell of goals) expect(cell.fill).toBe(SDGS[cell.sdg! - 1].color)
      const names = layout.texts.filter((t) => t.role === 'goal-name')
      for (const name of names) expect(name.lines.join(' ')).toBe(SDGS[name.sdg! - 1].name.nl)
      const numbers = layout.texts.filter((t) => t.role === 'goal-number').map((t) => t.lines[0])
      expect(numbers.sort()).toEqual(SDGS.map((g) => String(g.number)).sort())
      // Names fit: at most three lines along the radius.
      for (const name of names) expect(name.lines.length, name.lines.join('|')).toBeLessThanOrEqual(3)
    })
  }

  it('fits every goal name into its segment, in every variant and language', () => {
    for (const variant of SDG_CIRCLE_VARIANTS) {
      for (const language of LANGUAGES) {
        for (const name of layoutWheel(variant, language, labels).texts.filter((t) => t.role === 'goal-name')) {
          const what = `${variant} ${language} goal ${name.sdg}: ${name.lines.join(' | ')} at ${name.fontSize}`
          expect(name.lines.length * name.fontSize * LINE_HEIGHT, what).toBeLessThanOrEqual(name.room!.across)
          for (const line of name.lines) expect(line.length * name.fontSize * CHAR_WIDTH, what).toBeLessThanOrEqual(name.room!.along)
          expect(name.fontSize, what).toBeGreaterThanOrEqual(14)
        }
      }
    }
  })

  it('has the rings each variant is about, named in the gap at the top', () => {
    const bands = (variant: (typeof SDG_CIRCLE_VARIANTS)[number]) => layoutWheel(variant, 'nl', labels).texts.filter((t) => t.role === 'band').map((t) => t.lines.join(' '))
    expect(bands('theme')).toEqual(['+ Positief', '− Negatief'])
    expect(bands('levels')).toEqual(['Intern', 'Lokaal', 'Mondiaal'])
    expect(bands('pillars')).toEqual(['+ Positief', '− Negatief'])
  })

  it('pillars: five pillar sectors of equal size, named in the language, goals inside their pillar', () => {
    const layout = layoutWheel('pillars', 'es', labels)
    expect(layout.texts.filter((t) => t.role === 'pillar').map((t) => t.lines[0])).toEqual(PILLARS.map((p) => p.name.es))
    expect(layout.cells.filter((c) => c.kind === 'pillar')).toHaveLength(5)
    // Note cells per pillar and band: 5 × 2.
    expect(layout.cells.filter((c) => c.kind === 'band')).toHaveLength(10)
  })

  it('theme and levels: one note cell per goal and ring', () => {
    expect(layoutWheel('theme', 'en', labels).cells.filter((c) => c.kind === 'band')).toHaveLength(34)
    expect(layoutWheel('levels', 'en', labels).cells.filter((c) => c.kind === 'band')).toHaveLength(51)
  })

  it('draws sectors as closed arcs', () => {
    expect(sectorPath(100, 200, 0, 90)).toBe('M 0 -200 A 200 200 0 0 1 200 0 L 100 0 A 100 100 0 0 0 0 -100 Z')
  })

  it('wraps and shrinks text to fit', () => {
    expect(wrap('Vrede, justitie en sterke publieke diensten', 18)).toEqual(['Vrede, justitie en', 'sterke publieke', 'diensten'])
    const short = layoutTheme('Water', 240)
    const long = layoutTheme('Access to drinking water in the neighbourhoods of Tarija and in the villages around Brasschaat, now and in 2030', 240)
    expect(short.lines).toEqual(['Water'])
    expect(long.lines.length).toBeLessThanOrEqual(5)
    expect(long.fontSize).toBeLessThan(short.fontSize)
  })
})

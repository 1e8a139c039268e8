import { describe, expect, it } from 'vitest'
import { LANGUAGES } from './languages'
import { PILLARS, sdg, SDG_ABBREVIATION, SDGS } from './sdgs'

describe('the 17 SDGs', () => {
  it('are numbered 1 to 17 in order', () => {
    expect(SDGS.map((goal) => goal.number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1))
    expect(sdg(6).name.en).toBe('Clean Water and Sanitation')
    expect(() => sdg(18)).toThrow()
  })

  it('have 17 distinct official colours, written #RRGGBB', () => {
    for (const goal of SDGS) expect(goal.color, `goal ${goal.number}`).toMatch(/^#[0-9A-F]{6}$/)
    expect(new Set(SDGS.map((goal) => goal.color)).size).toBe(17)
    // Spot checks against the UN's colour definitions.
    expect([sdg(1).color, sdg(13).color, sdg(17).color]).toEqual(['#E5243B', '#3F7E44', '#19486A'])
  })

  it('have 17 distinct, non-empty short names in every language', () => {
    for (const language of LANGUAGES) {
      const names = SDGS.map((goal) => goal.name[language])
      for (const name of names) expect(name.trim(), language).not.toBe('')
      expect(new Set(names).size, language).toBe(17)
    }
    // The three languages are really different texts, not copies.
    for (const goal of SDGS) expect(new Set(LANGUAGES.map((l) => goal.name[l])).size, `goal ${goal.number}`).toBe(3)
    expect([sdg(14).name.nl, sdg(14).name.es]).toEqual(['Leven in het water', 'Vida submarina'])
    expect(SDG_ABBREVIATION.es).toBe('ODS')
  })
})

describe('the five pillars', () => {
  it('group every goal exactly once, in the Agenda order People, Planet, Prosperity, Peace, Partnership', () => {
    expect(PILLARS.map((p) => p.name.en)).toEqual(['People', 'Planet', 'Prosperity', 'Peace', 'Partnership'])
    expect(PILLARS.flatMap((p) => p.goals).sort((a, b) => a - b)).toEqual(SDGS.map((goal) => goal.number))
    expect(PILLARS.find((p) => p.id === 'peace')!.goals).toEqual([16])
    for (const language of LANGUAGES) expect(new Set(PILLARS.map((p) => p.name[language])).size).toBe(5)
  })
})

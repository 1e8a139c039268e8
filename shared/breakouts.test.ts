import { describe, expect, it } from 'vitest'
import { addToGroups, assignGroups, groupCount, removeFromGroups, type GroupMember } from './breakouts'

/** A dialogue like the publication's: three Flemish municipalities (Dutch) and three Bolivian ones (Spanish). */
function dialogue(): GroupMember[] {
  const people: GroupMember[] = []
  const orgs: [string, 'nl' | 'es', number][] = [
    ['Gent', 'nl', 6],
    ['Leuven', 'nl', 4],
    ['Mechelen', 'nl', 3],
    ['Cochabamba', 'es', 7],
    ['Tarija', 'es', 5],
    ['Sucre', 'es', 3],
  ]
  for (const [organisation, language, n] of orgs) for (let i = 0; i < n; i++) people.push({ id: `${organisation}-${i}`, organisation, language })
  return people
}
const byId = new Map(dialogue().map((p) => [p.id, p]))
const sizes = (groups: string[][]) => groups.map((g) => g.length)
const spread = (groups: string[][]) => Math.max(...sizes(groups)) - Math.min(...sizes(groups))

describe('mixed breakout groups', () => {
  const people = dialogue()
  const groups = assignGroups(people, { rule: 'mixed', groups: 5, seed: 42 })

  it('puts everyone in exactly one group, sizes within one of each other', () => {
    expect(groups).toHaveLength(5)
    expect(groups.flat().sort()).toEqual(people.map((p) => p.id).sort())
    expect(spread(groups)).toBeLessThanOrEqual(1)
  })

  it('gives every group people of both languages, and spreads each organisation over the groups', () => {
    for (const group of groups) {
      const languages = new Set(group.map((id) => byId.get(id)!.language))
      expect(languages).toEqual(new Set(['nl', 'es']))
    }
    for (const org of ['Gent', 'Leuven', 'Mechelen', 'Cochabamba', 'Tarija', 'Sucre']) {
      const perGroup = groups.map((g) => g.filter((id) => byId.get(id)!.organisation === org).length)
      // An organisation of n people in k groups: no group holds more than ceil(n / k).
      const n = people.filter((p) => p.organisation === org).length
      expect(Math.max(...perGroup), org).toBeLessThanOrEqual(Math.ceil(n / 5))
    }
  })

  it('is the same for the same seed, and another seed mixes differently', () => {
    expect(assignGroups(people, { rule: 'mixed', groups: 5, seed: 42 })).toEqual(groups)
    expect(assignGroups(people, { rule: 'mixed', groups: 5, seed: 43 })).not.toEqual(groups)
  })

  it('leaves everyone else where they are when one person leaves', () => {
    const after = removeFromGroups(groups, 'Gent-0')
    expect(after.flat()).not.toContain('Gent-0')
    for (const [i, group] of groups.entries()) expect(after[i]).toEqual(group.filter((id) => id !== 'Gent-0'))
  })

  it('puts a late joiner in a smallest group without two of their organisation if it can', () => {
    const late: GroupMember = { id: 'Tarija-late', organisation: 'Tarija', language: 'es' }
    const after = addToGroups(groups, late, [...people, late], 'mixed')
    const target = after.findIndex((g) => g.includes('Tarija-late'))
    expect(groups[target].length).toBe(Math.min(...sizes(groups)))
    const tarijaBefore = groups[target].filter((id) => byId.get(id)?.organisation === 'Tarija').length
    const fewest = Math.min(...groups.filter((g) => g.length === Math.min(...sizes(groups))).map((g) => g.filter((id) => byId.get(id)?.organisation === 'Tarija').length))
    expect(tarijaBefore).toBe(fewest)
    expect(spread(after)).toBeLessThanOrEqual(1)
  })

  it('asks for a group size instead of a number of groups', () => {
    expect(groupCount(28, { size: 6 })).toBe(5)
    expect(groupCount(3, { groups: 10 })).toBe(3)
    expect(assignGroups([], { rule: 'mixed', groups: 3, seed: 1 })).toEqual([])
  })
})

describe('own-context groups', () => {
  it('keeps each organisation together where sizes allow, sizes within one', () => {
    const people = dialogue()
    const groups = assignGroups(people, { rule: 'own-context', groups: 4, seed: 7 })
    expect(spread(groups)).toBeLessThanOrEqual(1)
    // Each organisation sits in at most two groups (a block boundary can cut one).
    for (const org of ['Gent', 'Leuven', 'Mechelen', 'Cochabamba', 'Tarija', 'Sucre']) {
      const inGroups = groups.filter((g) => g.some((id) => byId.get(id)!.organisation === org)).length
      expect(inGroups, org).toBeLessThanOrEqual(2)
    }
  })
})

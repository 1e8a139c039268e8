import { describe, expect, it } from 'vitest'
import en from './locales/en.json'
import es from './locales/es.json'
import nl from './locales/nl.json'

type Tree = { [key: string]: string | Tree }

/** Flattens nested keys to dotted paths with their string values. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort()
}

const english = flatten(en as Tree)
const locales: Record<string, Tree> = { nl: nl as Tree, es: es as Tree }

describe('locale files', () => {
  it('English has no empty strings', () => {
    for (const [key, value] of english) expect(value.trim(), key).not.toBe('')
  })

  for (const [name, tree] of Object.entries(locales)) {
    describe(name, () => {
      const flat = flatten(tree)

      it('has exactly the English keys', () => {
        const missing = [...english.keys()].filter((key) => !flat.has(key))
        const extra = [...flat.keys()].filter((key) => !english.has(key))
        expect({ missing, extra }).toEqual({ missing: [], extra: [] })
      })

      it('has no empty strings', () => {
        for (const [key, value] of flat) expect(value.trim(), `${name}:${key}`).not.toBe('')
      })

      it('uses the same interpolation variables as English', () => {
        for (const [key, value] of flat) {
          const source = english.get(key)
          if (source === undefined) continue
          expect(variables(value), `${name}:${key}`).toEqual(variables(source))
        }
      })
    })
  }

  it('detects a missing key (the check itself can fail)', () => {
    const broken = structuredClone(nl) as Tree
    delete (broken.app as Tree).name
    expect(flatten(broken).has('app.name')).toBe(false)
    expect([...english.keys()].filter((key) => !flatten(broken).has(key))).toEqual(['app.name'])
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIG_FIELDS } from './config'

// The README's configuration table is what an installer reads: keep it in step with the config module.
describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

  it.each(CONFIG_FIELDS.map((field) => [field.name, field] as const))('documents %s with its default', (name, field) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
    expect(row, `README has no row for ${name}`).toBeDefined()
    const expectedDefault = field.default === undefined ? '(not set)' : `\`${field.default}\``
    expect(row).toContain(`| ${expectedDefault} |`)
  })
})

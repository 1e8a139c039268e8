import { describe, expect, it } from 'vitest'
import { chooseEncoding } from './documentRoutes'

describe('chooseEncoding', () => {
  it('prefers br, then gzip, then no compression, honouring refusals (q=0)', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br') // Chromium lists gzip first
    expect(chooseEncoding('gzip, deflate')).toBe('gzip')
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip')
    expect(chooseEncoding('BR;Q=0.0, GZIP;q=0.8')).toBe('gzip')
    expect(chooseEncoding('*')).toBe('br')
    expect(chooseEncoding('*, br;q=0')).toBe('gzip')
    expect(chooseEncoding('x-gzip')).toBe('gzip')
    expect(chooseEncoding('identity')).toBe('identity')
    expect(chooseEncoding('gzip;q=0, br;q=0')).toBe('identity')
    expect(chooseEncoding('')).toBe('identity')
    expect(chooseEncoding(undefined)).toBe('identity')
    expect(chooseEncoding('gzip;q=nonsense')).toBe('identity')
  })
})

import { describe, expect, it } from 'vitest'
import { checkAsset } from './assetStore'

const config = { maxAssetBytes: 1000, assetMimeTypes: ['image/png', 'image/jpeg'] }

describe('checkAsset', () => {
  it('accepts an allowed image within the size limit', () => {
    expect(checkAsset({ size: 1000, type: 'image/png' }, config)).toBeNull()
  })
  it('rejects a type the server does not accept', () => {
    expect(checkAsset({ size: 10, type: 'image/bmp' }, config)).toEqual({ kind: 'type' })
  })
  it('rejects an image over the limit with both sizes for the message', () => {
    expect(checkAsset({ size: 1001, type: 'image/jpeg' }, config)).toEqual({ kind: 'too-large', size: 1001, max: 1000 })
  })
})

/**
 * Images pasted or dropped on a board are uploaded to our server and
 * referenced by URL; they never travel through the Yjs document as base64.
 */
import type { TLAssetStore } from 'tldraw'
import type { ClientConfig } from '../../../shared/api'
import { uploadAsset, type CallError } from '../api/http'

/** Why an upload did not happen, for a translated message. */
export type AssetProblem =
  | { kind: 'too-large'; size: number; max: number }
  | { kind: 'type' }
  | { kind: 'failed'; error: CallError }

/** Checks a file against the server's limits before sending it. */
export function checkAsset(file: Pick<File, 'size' | 'type'>, config: Pick<ClientConfig, 'maxAssetBytes' | 'assetMimeTypes'>): AssetProblem | null {
  if (!config.assetMimeTypes.includes(file.type)) return { kind: 'type' }
  if (file.size > config.maxAssetBytes) return { kind: 'too-large', size: file.size, max: config.maxAssetBytes }
  return null
}

/** A tldraw asset store that uploads to `POST /api/boards/:id/assets`. */
export function createAssetStore(boardId: string, boardKey: string, config: ClientConfig, onProblem: (problem: AssetProblem) => void): TLAssetStore {
  return {
    async upload(_asset, file, abortSignal) {
      const problem = checkAsset(file, config)
      if (problem) {
        onProblem(problem)
        throw new Error(`image rejected before upload: ${problem.kind}`)
      }
      const result = await uploadAsset(boardId, boardKey, file, abortSignal)
      if (!result.ok) {
        const { code } = result.error
        onProblem(
          code === 'payload-too-large'
            ? { kind: 'too-large', size: file.size, max: config.maxAssetBytes }
            : code === 'unsupported-media-type'
              ? { kind: 'type' }
              : { kind: 'failed', error: result.error },
        )
        throw new Error(`image upload failed: ${code}`)
      }
      return { src: result.value.src }
    },
    resolve(asset) {
      const src = asset.props.src
      // Same-origin only: a record from a peer must not make us load from elsewhere.
      return typeof src === 'string' && src.startsWith('/') && !src.startsWith('//') ? src : null
    },
  }
}

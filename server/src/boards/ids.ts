/** Random identifiers for boards and images. */
import { randomBytes } from 'node:crypto'

/** 128 random bits, base64url: matches shared/boardId.ts and cannot be guessed. */
export function newBoardId(): string {
  return randomBytes(16).toString('base64url')
}

/** Image ids have the same shape; knowing one does not reveal its board. */
export function newAssetId(): string {
  return randomBytes(16).toString('base64url')
}

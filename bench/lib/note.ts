/**
 * Realistic tldraw note records for the workloads, written with
 * shared/documentLayout.ts; they pass the board schema's validation (a browser
 * skips records that do not, which would make the browser load meaningless).
 */
import { randomBytes } from 'node:crypto'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import type { PlainRecord } from '../../shared/documentLayout'

const WORDS = (
  'idea risk customer value team goal next step question vote agree doubt plan budget ' +
  'timeline feedback workshop retro action owner blocker insight theme cluster priority'
).split(' ')

export function randomText(words = 6): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(Math.random() * WORDS.length)]!)
  return out.join(' ')
}

export function shapeId(): string {
  return 'shape:' + randomBytes(12).toString('base64url')
}

let lastIndex: IndexKey | null = null
/** The next fractional index key (tldraw's own function: a hand-made key ending in 0 is invalid). */
export function nextIndex(): string {
  lastIndex = getIndexAbove(lastIndex)
  return lastIndex
}

export function noteRecord(id: string, x: number, y: number, meta: Record<string, unknown>, text = randomText()): PlainRecord {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index: nextIndex(),
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta,
    props: {
      color: 'yellow',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      labelColor: 'black',
      fontSizeAdjustment: 1,
      textLastEditedBy: null,
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
    },
  }
}

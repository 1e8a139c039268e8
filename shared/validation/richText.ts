/**
 * Rich text as tldraw's editor understands it. tldraw's record validator only
 * checks that `richText` looks like `{ type, content: [...] }`; the editor then
 * hands it to TipTap (ProseMirror), which throws on a node or mark type it does
 * not know, and that throw takes the whole editor down ("Something went
 * wrong"), for everyone who opens the board. So both the server (before a
 * change is stored) and the client (before a peer's record enters the store)
 * check rich text against the editor's real node and mark set.
 *
 * The extension list mirrors tldraw's `tipTapDefaultExtensions`
 * (tldraw/src/lib/utils/text/richText.ts) without importing all of tldraw on the
 * server; `richText.test.ts` fails if the two schemas ever differ.
 */
import { extensions, getSchema } from '@tiptap/core'
import { Highlight } from '@tiptap/extension-highlight'
import { StarterKit } from '@tiptap/starter-kit'
import type { Schema } from '@tiptap/pm/model'

/** Deepest JSON nesting accepted in one rich text value (a list nested ten deep needs about 45). */
export const MAX_RICH_TEXT_DEPTH = 64
/**
 * Most characters of text one note, label or text block may hold: about 1,500
 * words, far beyond what a workshop writes on one shape. Laying out much more
 * (a pasted book, or one unbroken "word" of thousands of letters) keeps every
 * browser that shows the board busy for seconds per shape.
 */
export const MAX_RICH_TEXT_CHARS = 10_000

/** Characters of text in a rich text value, counted without recursion. */
function textLength(value: unknown): number {
  let length = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    const { text, content } = node as { text?: unknown; content?: unknown }
    if (typeof text === 'string') length += text.length
    if (Array.isArray(content)) stack.push(...content)
  }
  return length
}

let schema: Schema | undefined

/** The ProseMirror schema of tldraw's default text editor. */
export function richTextSchema(): Schema {
  schema ??= getSchema([
    StarterKit.configure({
      blockquote: false,
      codeBlock: false,
      horizontalRule: false,
      link: { openOnClick: false, autolink: true },
      trailingNode: { notAfter: ['paragraph', 'bulletList', 'orderedList', 'listItem'] },
    }),
    Highlight,
    extensions.TextDirection.configure({ direction: 'auto' }),
  ])
  return schema
}

/** Nesting depth of a JSON value, counted without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth > deepest) deepest = depth
    if (deepest > limit) return deepest
    for (const inner of Array.isArray(current) ? current : Object.values(current)) stack.push([inner, depth + 1])
  }
  return deepest
}

/** Why `value` is not rich text the editor can show; undefined when it is. */
export function richTextProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'rich text must be an object'
  if ((value as { type?: unknown }).type !== 'doc') return 'rich text must be a "doc" node'
  if (jsonDepth(value, MAX_RICH_TEXT_DEPTH) > MAX_RICH_TEXT_DEPTH) return `rich text is nested deeper than ${MAX_RICH_TEXT_DEPTH}`
  const length = textLength(value)
  if (length > MAX_RICH_TEXT_CHARS) return `rich text holds ${length} characters, more than ${MAX_RICH_TEXT_CHARS}`
  // An empty doc is not valid ProseMirror, but tldraw reads it as empty text (isEmptyRichText).
  const content = (value as { content?: unknown }).content
  if (Array.isArray(content) && content.length === 0) return undefined
  try {
    richTextSchema().nodeFromJSON(value).check()
    return undefined
  } catch (error) {
    return `rich text: ${error instanceof Error ? error.message : String(error)}`
  }
}

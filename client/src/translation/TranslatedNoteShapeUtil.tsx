/**
 * tldraw's sticky note, shown in the reader's language: when a note was
 * written in another language and carries a translation into theirs, that is
 * what they read, with a marker saying it is a translation (and from which
 * language) that shows the original with one click. The document keeps the
 * original untouched; editing a note always edits the original.
 */
import { atom, stopEventPropagation, toRichText, useEditor, useValue, type TLNoteShape } from 'tldraw'
import { isLanguage, type Language } from '../../../shared/languages'
import { noteDisplay } from '../../../shared/translations'
import { DrawnOnceOnScreen } from '../board/shapes/DrawnOnceOnScreen'
import { LazyLabelNoteShapeUtil } from '../board/shapes/LazyLabelNoteShapeUtil'

/** The reader's language (set by the board page). */
export const readerLanguage = atom<Language>('reader language', 'en')
/** Notes this reader chose to see in their original language. */
export const showingOriginal = atom<ReadonlySet<string>>('notes shown in original', new Set())

function toggleOriginal(id: string): void {
  const next = new Set(showingOriginal.get())
  if (next.has(id)) next.delete(id)
  else next.add(id)
  showingOriginal.set(next)
}

/** Labels for the marker, in the reader's language (set with readerLanguage by the board page). */
export const translationLabels = atom<{ translated: (from: string) => string; original: string }>('translation labels', {
  translated: (from) => `translated from ${from}`,
  original: 'original',
})

export class TranslatedNoteShapeUtil extends LazyLabelNoteShapeUtil {
  override component(shape: TLNoteShape) {
    return (
      <DrawnOnceOnScreen id={shape.id}>
        <TranslatedNote util={this} shape={shape} />
      </DrawnOnceOnScreen>
    )
  }

  /** The stock rendering, for the shape as given. */
  renderStock(shape: TLNoteShape) {
    return super.component(shape)
  }
}

function TranslatedNote({ util, shape }: { util: TranslatedNoteShapeUtil; shape: TLNoteShape }) {
  const editor = useEditor()
  const language = useValue(readerLanguage)
  const original = useValue('showing original', () => showingOriginal.get().has(shape.id), [shape.id])
  const editing = useValue('editing this note', () => editor.getEditingShapeId() === shape.id, [editor, shape.id])
  const labels = useValue(translationLabels)
  const display = noteDisplay(shape.meta as Record<string, unknown>, language)
  if (display.kind === 'original' || editing) return util.renderStock(shape)
  const from = isLanguage(display.from) ? display.from.toUpperCase() : ''
  return (
    <>
      {original ? util.renderStock(shape) : util.renderStock({ ...shape, props: { ...shape.props, richText: toRichText(display.text) } })}
      <button
        type="button"
        className="note-translation-marker"
        data-testid="translation-marker"
        data-shape-id={shape.id}
        data-showing={original ? 'original' : 'translation'}
        title={original ? labels.original : labels.translated(from)}
        style={{ pointerEvents: 'all' }}
        onPointerDown={stopEventPropagation}
        onClick={(event) => {
          stopEventPropagation(event)
          toggleOriginal(shape.id)
        }}
      >
        🌐 {original ? from : `${from}→${language.toUpperCase()}`}
      </button>
    </>
  )
}

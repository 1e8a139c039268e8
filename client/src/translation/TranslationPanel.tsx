/**
 * The interpreter's view of a selected note: the original (and the language
 * it is in) beside a field per other language, to add or correct its
 * translations. Writes go into the note's meta, one key per language.
 */
import { LanguageSelect } from '../app/LanguageSelect'
import { useTranslation } from 'react-i18next'
import { useValue, type Editor, type TLNoteShape } from 'tldraw'
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../shared/languages'
import { NOTE_LANGUAGE_META, noteLanguage, translationKey, translationOf } from '../../../shared/translations'

export function TranslationPanel({ editor }: { editor: Editor }) {
  const { t } = useTranslation()
  const note = useValue(
    'selected note',
    () => {
      const selected = editor.getSelectedShapes()
      return selected.length === 1 && selected[0].type === 'note' ? (selected[0] as TLNoteShape) : null
    },
    [editor],
  )
  if (!note) return null
  const meta = note.meta as Record<string, unknown>
  const original = noteLanguage(meta)
  const text = editor.getShapeUtil(note).getText(note) ?? ''
  const setMeta = (key: string, value: string | undefined) => {
    const next = { ...note.meta }
    if (value === undefined || value === '') delete next[key]
    else next[key] = value
    editor.updateShape({ id: note.id, type: 'note', meta: next })
  }
  return (
    <section className="translation-panel" aria-labelledby="translation-heading" data-testid="translation-panel" data-shape-id={note.id}>
      <h2 id="translation-heading">{t('translation.heading')}</h2>
      <div className="translation-panel__columns">
        <div>
          <label>
            {t('translation.originalIn')}
            <LanguageSelect
              data-testid="translation-original-language"
              value={original}
              noneLabel={t('translation.unknownLanguage')}
              onChange={(l) => setMeta(NOTE_LANGUAGE_META, l)}
            />
          </label>
          <blockquote className="translation-panel__original" lang={original} data-testid="translation-original">
            {text || t('voting.untitled')}
          </blockquote>
        </div>
        <div>
          {LANGUAGES.filter((l: Language) => l !== original).map((l) => (
            <label key={l} className="translation-panel__field">
              {LANGUAGE_NAMES[l]}
              <textarea
                rows={3}
                lang={l}
                data-testid={`translation-${l}`}
                value={translationOf(meta, l) ?? ''}
                onChange={(e) => setMeta(translationKey(l), e.target.value.slice(0, 4000))}
              />
            </label>
          ))}
        </div>
      </div>
    </section>
  )
}

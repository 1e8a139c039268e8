import { LanguageSelect } from '../../app/LanguageSelect'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import { type Language } from '../../../../shared/languages'
import { errorMessage } from '../../api/errorMessage'
import { listTemplates, type TemplateListEntry } from '../../api/http'
import { Dialog } from '../../app/Dialog'
import { currentLanguage } from '../../i18n/i18n'
import { TemplateGallery } from '../../templates/TemplateGallery'
import { insertTemplate, showInserted } from './insertTemplate'
import { keepInsertionsApart } from './keepInsertionsApart'
import { loadTemplate } from './loadTemplate'

type ListState = { kind: 'loading' } | { kind: 'ready'; templates: TemplateListEntry[] } | { kind: 'failed' }

/**
 * The in-board template panel: the shared gallery, a choice of language (the
 * board's by default) and "Add to board", which places the template beside the
 * page's content and moves the camera to it.
 */
export function TemplatePanel({
  open,
  editor,
  boardLanguage,
  onClose,
  onInserted,
}: {
  open: boolean
  editor: Editor | null
  boardLanguage: Language | undefined
  onClose: () => void
  /** Called with the template's name in the UI language once it is on the board. */
  onInserted: (name: string) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const [list, setList] = useState<ListState>({ kind: 'loading' })
  const [chosen, setChosen] = useState<string | undefined>(undefined)
  const [language, setLanguage] = useState<Language>(boardLanguage ?? currentLanguage())
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  // Each opening starts in the board's language with a fresh list (templates change with a server update).
  useEffect(() => {
    if (!open) return
    let live = true
    setLanguage(boardLanguage ?? currentLanguage())
    setProblem(null)
    setList((current) => (current.kind === 'ready' ? current : { kind: 'loading' }))
    void listTemplates().then((result) => {
      if (!live) return
      if (!result.ok) return setList((current) => (current.kind === 'ready' ? current : { kind: 'failed' }))
      setList({ kind: 'ready', templates: result.value })
      setChosen((current) => (current && result.value.some((x) => x.id === current) ? current : result.value[0]?.id))
    })
    return () => {
      live = false
    }
  }, [open, boardLanguage])

  // Someone else's template added at the same moment can land on ours; one of the two gives way.
  const apart = useRef<ReturnType<typeof keepInsertionsApart> | null>(null)
  useEffect(() => {
    if (!editor) return
    const guard = keepInsertionsApart(editor)
    apart.current = guard
    return () => {
      guard.dispose()
      if (apart.current === guard) apart.current = null
    }
  }, [editor])

  // Keyboard users start on the chosen template (arrow keys then move through the gallery), not on
  // whatever the dialog found focusable while the list was still loading.
  const form = useRef<HTMLFormElement>(null)
  const ready = open && list.kind === 'ready'
  useEffect(() => {
    if (ready) form.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus()
  }, [ready])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy || !editor || !chosen) return
    setBusy(true)
    setProblem(null)
    const template = await loadTemplate(chosen)
    setBusy(false)
    if (!template.ok) {
      setProblem(template.error.code === 'invalid' ? t('templatePanel.invalid') : errorMessage(t, template.error))
      return
    }
    const inserted = insertTemplate(editor, template.value, language)
    if (!inserted) return setProblem(t('board.readOnly'))
    apart.current?.track(inserted)
    onClose()
    showInserted(editor, inserted)
    // Back to the canvas, so the next key (Ctrl+Z included) goes to the board.
    requestAnimationFrame(() => editor.focus())
    onInserted(template.value.texts[currentLanguage()].name)
  }

  return (
    <Dialog open={open} title={t('templatePanel.title')} testId="template-panel" onCancel={busy ? undefined : onClose}>
      <form ref={form} onSubmit={(event) => void submit(event)} noValidate className="template-panel">
        <p className="hint">{t('templatePanel.intro')}</p>
        {list.kind === 'loading' && <p role="status">{t('templatePanel.loading')}</p>}
        {list.kind === 'failed' && (
          <p role="alert" className="error-text">
            {t('templatePanel.loadFailed')}
          </p>
        )}
        {list.kind === 'ready' && list.templates.length === 0 && <p>{t('templatePanel.none')}</p>}
        {list.kind === 'ready' && list.templates.length > 0 && (
          <TemplateGallery legend={t('templatePanel.chooseLabel')} templates={list.templates} value={chosen} onChange={setChosen} testId="panel-templates" />
        )}
        <div className="field">
          <label htmlFor={`${id}-language`}>{t('templatePanel.languageLabel')}</label>
          <LanguageSelect id={`${id}-language`} data-testid="panel-language" value={language} onChange={(lng) => lng && setLanguage(lng)} />
        </div>
        {problem && (
          <p role="alert" className="error-text" data-testid="panel-error">
            {problem}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('home.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="panel-insert" disabled={busy || !editor || !chosen}>
            {busy ? t('templatePanel.inserting') : t('templatePanel.insert')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

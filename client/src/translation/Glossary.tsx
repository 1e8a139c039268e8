/**
 * The board's glossary: key terms in the three languages (participation,
 * co-production, the SDG names ...), kept by the interpreters, open to all.
 * Lives in the document's `glossary` map; the server lets only interpreters
 * and facilitators change it.
 */
import { FloatingPanel } from '../app/FloatingPanel'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { LANGUAGE_NAMES, LANGUAGES } from '../../../shared/languages'
import { GLOSSARY_KEY, parseGlossaryEntry, type GlossaryEntry } from '../../../shared/translations'

function readGlossary(doc: Y.Doc): [string, GlossaryEntry][] {
  const entries: [string, GlossaryEntry][] = []
  for (const [id, value] of doc.getMap<unknown>(GLOSSARY_KEY)) {
    const entry = parseGlossaryEntry(value)
    if (entry) entries.push([id, entry])
  }
  return entries.sort(([, a], [, b]) => (a.en ?? a.nl ?? a.es ?? '').localeCompare(b.en ?? b.nl ?? b.es ?? ''))
}

export function GlossaryPanel({ doc, canEdit, onClose }: { doc: Y.Doc; canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const [entries, setEntries] = useState(() => readGlossary(doc))
  const [filter, setFilter] = useState('')
  useEffect(() => {
    const map = doc.getMap<unknown>(GLOSSARY_KEY)
    const refresh = () => setEntries(readGlossary(doc))
    map.observe(refresh)
    refresh()
    return () => map.unobserve(refresh)
  }, [doc])
  const write = (id: string, entry: GlossaryEntry | undefined) =>
    doc.transact(() => {
      const map = doc.getMap<unknown>(GLOSSARY_KEY)
      if (entry) map.set(id, entry)
      else map.delete(id)
    })
  const shown = entries.filter(([, e]) => !filter || Object.values(e).some((v) => v?.toLocaleLowerCase().includes(filter.toLocaleLowerCase())))
  return (
    <FloatingPanel className="agenda-panel" testId="glossary" heading={t('glossary.heading')} onClose={onClose}>
      <input type="search" aria-label={t('glossary.search')} placeholder={t('glossary.search')} value={filter} onChange={(e) => setFilter(e.target.value)} />
      {shown.length === 0 && <p className="facilitator-panel__hint">{canEdit ? t('glossary.emptyInterpreter') : t('glossary.empty')}</p>}
      <table className="glossary-table">
        <thead>
          <tr>
            {LANGUAGES.map((l) => (
              <th key={l} scope="col">
                {LANGUAGE_NAMES[l]}
              </th>
            ))}
            {canEdit && <th aria-label={t('glossary.actions')} />}
          </tr>
        </thead>
        <tbody>
          {shown.map(([id, entry]) => (
            <tr key={id} data-testid="glossary-entry">
              {LANGUAGES.map((l) => (
                <td key={l} lang={l}>
                  {canEdit ? (
                    <input aria-label={LANGUAGE_NAMES[l]} data-testid={`glossary-${l}`} value={entry[l] ?? ''} onChange={(e) => write(id, { ...entry, [l]: e.target.value.slice(0, 200) })} />
                  ) : (
                    entry[l]
                  )}
                </td>
              ))}
              {canEdit && (
                <td>
                  <button type="button" className="button button--small" aria-label={t('glossary.remove')} onClick={() => write(id, undefined)}>
                    ×
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && (
        <button type="button" className="button button--small" data-testid="glossary-add" onClick={() => write(Math.random().toString(36).slice(2, 10), { en: '' , note: '' })}>
          {t('glossary.add')}
        </button>
      )}
    </FloatingPanel>
  )
}

import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_TITLE_LENGTH, type BoardMeta } from '../../../shared/api'
import type { KnownBoard } from './knownBoards'
import { LANGUAGE_NAMES } from '../../../shared/languages'
import { errorMessage } from '../api/errorMessage'
import { renameBoard, type CallError } from '../api/http'
import { Link } from '../app/Link'
import { boardPath } from '../app/router'

/**
 * One board in the list: facilitators rename it inline or delete it (after
 * confirming); anyone can take it off this browser's list.
 */
export function BoardRow({
  board,
  onRenamed,
  onDelete,
  onForget,
}: {
  board: KnownBoard
  onRenamed: (board: BoardMeta) => void
  onDelete: () => void
  onForget: () => void
}) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(board.title)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<CallError | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const renameButtonRef = useRef<HTMLButtonElement>(null)
  const wasEditing = useRef(false)

  useEffect(() => {
    if (editing) inputRef.current?.select()
    else if (wasEditing.current) renameButtonRef.current?.focus()
    wasEditing.current = editing
  }, [editing])

  const save = async (event: FormEvent) => {
    event.preventDefault()
    if (draft.trim() === board.title) return setEditing(false)
    setBusy(true)
    const result = await renameBoard(board.id, board.key, draft)
    setBusy(false)
    if (!result.ok) return setError(result.error)
    setError(null)
    setEditing(false)
    onRenamed(result.value)
  }

  const lastEdited = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(board.updatedAt))

  return (
    <li className="board-row" data-testid="board-item" data-board-id={board.id} data-role={board.role}>
      {editing ? (
        <form className="board-row__rename" onSubmit={(event) => void save(event)}>
          <label htmlFor={`${id}-rename`} className="visually-hidden">
            {t('home.renameLabel', { title: board.title })}
          </label>
          <input
            id={`${id}-rename`}
            ref={inputRef}
            data-testid="rename-input"
            value={draft}
            maxLength={MAX_TITLE_LENGTH + 50}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setDraft(board.title)
                setError(null)
                setEditing(false)
              }
            }}
          />
          <button type="submit" className="button button--primary" data-testid="rename-save" disabled={busy}>
            {t('home.save')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(board.title)
              setError(null)
              setEditing(false)
            }}
          >
            {t('home.cancel')}
          </button>
        </form>
      ) : (
        <div className="board-row__info">
          {board.revoked ? (
            <span className="board-row__title">{board.title}</span>
          ) : (
            <Link href={boardPath(board.id)} className="board-row__title" data-testid="board-open">
              {board.title}
            </Link>
          )}
          <span className="board-row__meta">
            <span data-testid="board-role">{board.revoked ? t('home.linkReplaced') : t(`roles.${board.role}`)}</span>
            <span aria-hidden="true"> · </span>
            <span>{t('home.lastEdited', { date: lastEdited })}</span>
            <span aria-hidden="true"> · </span>
            <span>{t('home.boardLanguage', { language: LANGUAGE_NAMES[board.language] })}</span>
          </span>
        </div>
      )}
      {!editing && board.role !== 'facilitator' && (
        <div className="board-row__actions">
          <button type="button" className="button" data-testid="board-forget" aria-label={`${t('home.forget')}: ${board.title}`} onClick={onForget}>
            {t('home.forget')}
          </button>
        </div>
      )}
      {!editing && board.role === 'facilitator' && (
        <div className="board-row__actions">
          <button
            type="button"
            ref={renameButtonRef}
            className="button"
            data-testid="board-rename"
            aria-label={`${t('home.rename')}: ${board.title}`}
            onClick={() => {
              setDraft(board.title)
              setEditing(true)
            }}
          >
            {t('home.rename')}
          </button>
          <button
            type="button"
            className="button button--danger-outline"
            data-testid="board-delete"
            aria-label={`${t('home.delete')}: ${board.title}`}
            onClick={onDelete}
          >
            {t('home.delete')}
          </button>
        </div>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="error-text board-row__error">
          {errorMessage(t, error)}
        </p>
      )}
    </li>
  )
}

import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { BoardMeta } from '../../../shared/api'
import { errorMessage } from '../api/errorMessage'
import { deleteBoard, listBoards, type CallError } from '../api/http'
import { Dialog } from '../app/Dialog'
import { Header } from '../app/Header'
import { useDocumentTitle } from '../app/useDocumentTitle'
import { boardPath, navigate } from '../app/router'
import { BoardRow } from './BoardRow'
import { cachedList, cacheList, updateCachedList } from './boardListCache'
import { CreateBoardForm } from './CreateBoardForm'

type ListState = { kind: 'loading' } | { kind: 'error'; error: CallError } | { kind: 'ready'; boards: BoardMeta[] }

/** The list of boards: create, open, rename, delete. */
export function HomePage() {
  const { t } = useTranslation()
  const [list, setList] = useState<ListState>(() => {
    const boards = cachedList()
    return boards ? { kind: 'ready', boards } : { kind: 'loading' }
  })
  const [toDelete, setToDelete] = useState<BoardMeta | null>(null)
  const [deleteError, setDeleteError] = useState<CallError | null>(null)
  const [deleting, setDeleting] = useState(false)
  useDocumentTitle(t('home.title'))

  // Renames and deletions still in flight: a list fetched meanwhile must not undo them on screen.
  const pendingRenames = useRef(new Map<string, string>())
  const pendingDeletes = useRef(new Set<string>())

  const load = useCallback(async () => {
    const fetched = await listBoards()
    const result = fetched.ok
      ? {
          ...fetched,
          value: fetched.value
            .filter((b) => !pendingDeletes.current.has(b.id))
            .map((b) => (pendingRenames.current.has(b.id) ? { ...b, title: pendingRenames.current.get(b.id)! } : b)),
        }
      : fetched
    // A failed refresh keeps the list we already show rather than replacing it with an error.
    setList((current) =>
      result.ok
        ? { kind: 'ready', boards: result.value }
        : current.kind === 'ready' && result.error.code === 'network'
          ? current
          : { kind: 'error', error: result.error },
    )
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    if (list.kind === 'ready') cacheList(list.boards)
  }, [list])

  const replaceBoard = (board: BoardMeta) =>
    setList((state) =>
      state.kind === 'ready' ? { kind: 'ready', boards: state.boards.map((b) => (b.id === board.id ? board : b)) } : state,
    )

  const confirmDelete = async () => {
    if (!toDelete) return
    setDeleting(true)
    // The cache learns first, so a reload racing the request never shows the board again.
    updateCachedList((boards) => boards.filter((b) => b.id !== toDelete.id))
    pendingDeletes.current.add(toDelete.id)
    const result = await deleteBoard(toDelete.id)
    pendingDeletes.current.delete(toDelete.id)
    setDeleting(false)
    if (!result.ok && result.error.code !== 'not-found') {
      setDeleteError(result.error)
      return
    }
    const id = toDelete.id
    setList((state) => (state.kind === 'ready' ? { kind: 'ready', boards: state.boards.filter((b) => b.id !== id) } : state))
    setToDelete(null)
  }

  return (
    <div className="page">
      <Header />
      <main className="page__main">
        <h1>{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>

        <CreateBoardForm
          onCreated={(board) => {
            cacheList([board, ...(list.kind === 'ready' ? list.boards : [])])
            navigate(boardPath(board.id))
          }}
        />

        <section aria-labelledby="boards-heading" className="card">
          <h2 id="boards-heading">{t('home.listHeading')}</h2>
          {list.kind === 'loading' && <p role="status">{t('app.loading')}</p>}
          {list.kind === 'error' && (
            <div role="alert" className="error-box">
              <p>
                {t('home.loadFailed')} {errorMessage(t, list.error)}
              </p>
              <button type="button" className="button" onClick={() => void load()}>
                {t('home.retry')}
              </button>
            </div>
          )}
          {list.kind === 'ready' && list.boards.length === 0 && <p>{t('home.empty')}</p>}
          {list.kind === 'ready' && list.boards.length > 0 && (
            <ul className="board-list">
              {list.boards.map((board) => (
                <BoardRow
                  key={board.id}
                  board={board}
                  onRenaming={(title) => {
                    pendingRenames.current.set(board.id, title)
                    updateCachedList((boards) => boards.map((b) => (b.id === board.id ? { ...b, title } : b)))
                    return () => pendingRenames.current.delete(board.id)
                  }}
                  onRenamed={replaceBoard}
                  onDelete={() => {
                    setDeleteError(null)
                    setToDelete(board)
                  }}
                />
              ))}
            </ul>
          )}
        </section>
      </main>

      <Dialog open={toDelete !== null} title={t('home.deleteTitle')} onCancel={() => setToDelete(null)} testId="delete-dialog">
        <p>{t('home.deleteBody', { title: toDelete?.title ?? '' })}</p>
        {deleteError && (
          <p role="alert" className="error-text">
            {errorMessage(t, deleteError)}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => setToDelete(null)} autoFocus>
            {t('home.cancel')}
          </button>
          <button
            type="button"
            className="button button--danger"
            data-testid="confirm-delete"
            disabled={deleting}
            onClick={() => void confirmDelete()}
          >
            {t('home.deleteConfirm')}
          </button>
        </div>
      </Dialog>
    </div>
  )
}

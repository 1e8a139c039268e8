import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { BoardMeta } from '../../../shared/api'
import { errorMessage } from '../api/errorMessage'
import { deleteBoard, listBoards, type CallError } from '../api/http'
import { Dialog } from '../app/Dialog'
import { Header } from '../app/Header'
import { boardPath, navigate } from '../app/router'
import { BoardRow } from './BoardRow'
import { CreateBoardForm } from './CreateBoardForm'

type ListState = { kind: 'loading' } | { kind: 'error'; error: CallError } | { kind: 'ready'; boards: BoardMeta[] }

/** The list of boards: create, open, rename, delete. */
export function HomePage() {
  const { t } = useTranslation()
  const [list, setList] = useState<ListState>({ kind: 'loading' })
  const [toDelete, setToDelete] = useState<BoardMeta | null>(null)
  const [deleteError, setDeleteError] = useState<CallError | null>(null)
  const [deleting, setDeleting] = useState(false)

  const load = useCallback(async () => {
    const result = await listBoards()
    setList(result.ok ? { kind: 'ready', boards: result.value } : { kind: 'error', error: result.error })
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  const replaceBoard = (board: BoardMeta) =>
    setList((state) =>
      state.kind === 'ready' ? { kind: 'ready', boards: state.boards.map((b) => (b.id === board.id ? board : b)) } : state,
    )

  const confirmDelete = async () => {
    if (!toDelete) return
    setDeleting(true)
    const result = await deleteBoard(toDelete.id)
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

        <CreateBoardForm onCreated={(board) => navigate(boardPath(board.id))} />

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

import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../api/errorMessage'
import { deleteBoard, getBoard, type CallError } from '../api/http'
import { Dialog } from '../app/Dialog'
import { Header } from '../app/Header'
import { useDocumentTitle } from '../app/useDocumentTitle'
import { boardPath, navigate } from '../app/router'
import { BoardRow } from './BoardRow'
import { CreateBoardForm } from './CreateBoardForm'
import { forgetBoard, knownBoards, rememberBoard, updateKnownBoard, type KnownBoard } from './knownBoards'

/** The boards this browser created or opened: create, open, rename, delete, forget. */
export function HomePage() {
  const { t } = useTranslation()
  const [boards, setBoards] = useState<KnownBoard[]>(() => knownBoards())
  const [toDelete, setToDelete] = useState<KnownBoard | null>(null)
  const [deleteError, setDeleteError] = useState<CallError | null>(null)
  const [deleting, setDeleting] = useState(false)
  useDocumentTitle(t('home.title'))

  // Fresh titles and roles from the server; a replaced link or a deleted board shows as such.
  const refresh = useCallback(async () => {
    await Promise.all(
      knownBoards().map(async (board) => {
        const result = await getBoard(board.id, board.key)
        if (result.ok) rememberBoard(result.value, board.key)
        else if (result.error.code === 'not-found') forgetBoard(board.id)
        else if (result.error.code === 'forbidden' || result.error.code === 'unauthorized') updateKnownBoard(board.id, (b) => ({ ...b, revoked: true }))
      }),
    )
    setBoards(knownBoards())
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const confirmDelete = async () => {
    if (!toDelete) return
    setDeleting(true)
    const result = await deleteBoard(toDelete.id, toDelete.key)
    setDeleting(false)
    if (!result.ok && result.error.code !== 'not-found') {
      setDeleteError(result.error)
      return
    }
    forgetBoard(toDelete.id)
    setBoards(knownBoards())
    setToDelete(null)
  }

  return (
    <div className="page">
      <Header />
      <main className="page__main">
        <h1>{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>

        <CreateBoardForm
          onCreated={(created) => {
            rememberBoard(created, created.keys.facilitator!, true)
            navigate(boardPath(created.board.id))
          }}
        />

        <section aria-labelledby="boards-heading" className="card">
          <h2 id="boards-heading">{t('home.listHeading')}</h2>
          {boards.length === 0 && <p>{t('home.empty')}</p>}
          {boards.length > 0 && (
            <ul className="board-list">
              {boards.map((board) => (
                <BoardRow
                  key={board.id}
                  board={board}
                  onRenamed={(meta) => {
                    updateKnownBoard(board.id, (b) => ({ ...b, ...meta }))
                    setBoards(knownBoards())
                  }}
                  onDelete={() => {
                    setDeleteError(null)
                    setToDelete(board)
                  }}
                  onForget={() => {
                    forgetBoard(board.id)
                    setBoards(knownBoards())
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

import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { HomePage } from '../home/HomePage'
import { NotFoundPage } from './NotFoundPage'
import { matchRoute, usePath } from './router'

// The board page carries tldraw (most of the bundle); the home page should not wait for it
// on a slow connection.
const BoardPage = lazy(() => import('../board/BoardPage').then((module) => ({ default: module.BoardPage })))

function Loading() {
  const { t } = useTranslation()
  return (
    <p className="canvas-message" role="status">
      {t('app.loading')}
    </p>
  )
}

/** Picks the page for the current path. */
export function App() {
  const route = matchRoute(usePath())
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'board':
      return (
        <Suspense fallback={<Loading />}>
          <BoardPage key={route.boardId} boardId={route.boardId} />
        </Suspense>
      )
    default:
      return <NotFoundPage />
  }
}

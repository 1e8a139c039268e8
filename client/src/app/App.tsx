import { BoardPage } from '../board/BoardPage'
import { HomePage } from '../home/HomePage'
import { NotFoundPage } from './NotFoundPage'
import { matchRoute, usePath } from './router'

/** Picks the page for the current path. */
export function App() {
  const route = matchRoute(usePath())
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'board':
      return <BoardPage key={route.boardId} boardId={route.boardId} />
    default:
      return <NotFoundPage />
  }
}

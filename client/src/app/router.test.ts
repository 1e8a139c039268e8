import { describe, expect, it } from 'vitest'
import { boardPath, matchRoute } from './router'

describe('matchRoute', () => {
  it('routes home, boards and everything else', () => {
    expect(matchRoute('/')).toEqual({ page: 'home' })
    expect(matchRoute('/b/q3Zb1v0mS9uJx2cF4yTt8A')).toEqual({ page: 'board', boardId: 'q3Zb1v0mS9uJx2cF4yTt8A' })
    expect(matchRoute('/b/q3Zb1v0mS9uJx2cF4yTt8A/')).toEqual({ page: 'board', boardId: 'q3Zb1v0mS9uJx2cF4yTt8A' })
    expect(matchRoute('/b/not-a-board')).toEqual({ page: 'not-found' })
    expect(matchRoute('/b/')).toEqual({ page: 'not-found' })
    expect(matchRoute('/admin')).toEqual({ page: 'not-found' })
  })

  it('round-trips a board path', () => {
    expect(matchRoute(boardPath('q3Zb1v0mS9uJx2cF4yTt8A'))).toEqual({ page: 'board', boardId: 'q3Zb1v0mS9uJx2cF4yTt8A' })
  })
})

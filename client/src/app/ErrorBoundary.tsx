import { Component, type ErrorInfo, type ReactNode } from 'react'
import { Translation } from 'react-i18next'

/** Catches a crash below it and offers a reload, instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false }

  static getDerivedStateFromError() {
    return { failed: true }
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('[app] crashed', error, info.componentStack)
  }

  render() {
    if (!this.state.failed) return this.props.children
    return (
      <Translation>
        {(t) => (
          <div className="canvas-message" role="alert" data-testid="crashed">
            <p>{t('app.crashed')}</p>
            <button type="button" className="button button--primary" onClick={() => location.reload()}>
              {t('board.reload')}
            </button>
          </div>
        )}
      </Translation>
    )
  }
}

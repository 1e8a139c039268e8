/**
 * A panel floating over the board (vote results, agenda, glossary): a heading,
 * optional actions, a close button, and its content. The variant class places
 * and sizes it; `.floating-panel` gives the look they share.
 */
import { useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  heading: ReactNode
  onClose: () => void
  /** Placement and size, e.g. `vote-results` or `agenda-panel`. */
  className: string
  testId?: string
  closeTestId?: string
  /** Buttons shown between the heading and the close button. */
  actions?: ReactNode
  children: ReactNode
}

export function FloatingPanel({ heading, onClose, className, testId, closeTestId, actions, children }: Props) {
  const { t } = useTranslation()
  const headingId = useId()
  return (
    <section className={`floating-panel ${className}`} aria-labelledby={headingId} data-testid={testId}>
      <header className="floating-panel__header">
        <h2 id={headingId}>{heading}</h2>
        {actions}
        <button type="button" className="button button--small" data-testid={closeTestId} onClick={onClose}>
          {t('share.close')}
        </button>
      </header>
      {children}
    </section>
  )
}

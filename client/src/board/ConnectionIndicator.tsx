import { useTranslation } from 'react-i18next'
import type { ConnectionSnapshot } from '../sync/BoardConnection'

/** Online / reconnecting / offline, with the number of local changes not yet sent. */
export function ConnectionIndicator({ snapshot }: { snapshot: ConnectionSnapshot }) {
  const { t } = useTranslation()
  const { status, pending } = snapshot
  const detail = pending > 0 ? t('connection.pending', { count: pending }) : status === 'online' ? t('connection.allSaved') : ''
  return (
    <div
      className={`connection connection--${status}`}
      data-testid="connection-status"
      data-status={status}
      data-pending={pending}
      role="status"
      aria-label={t('connection.label')}
      title={detail || undefined}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{t(`connection.${status}`)}</span>
      {pending > 0 && (
        <>
          <span className="connection__pending">
            <span aria-hidden="true">· </span>
            {t('connection.pending', { count: pending })}
          </span>
          {/* Narrow screens show only the number; the sentence stays in the tooltip. */}
          <span className="connection__badge" aria-hidden="true">
            {pending}
          </span>
        </>
      )}
    </div>
  )
}

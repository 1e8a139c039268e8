/**
 * The links of a board, one per role the viewer may share: the address, a
 * copy button and a QR code (for a phone in the room or a slide). A
 * facilitator can replace a link, which cuts off everyone who came in with
 * the old one.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { boardLinkPath, ROLES, type BoardKeys, type Role } from '../../../shared/access'
import { errorMessage } from '../api/errorMessage'
import { replaceLink, type CallError } from '../api/http'
import type { BoardAccess } from '../../../shared/api'
import { Dialog } from '../app/Dialog'
import { QrCode } from './QrCode'

/** The full address of a board link, on the configured public URL or this page's origin. */
export function boardLink(publicUrl: string | null, boardId: string, key: string): string {
  return `${(publicUrl ?? location.origin).replace(/\/+$/, '')}${boardLinkPath(boardId, key)}`
}

export function ShareDialog({
  open,
  boardId,
  role,
  keys,
  ownKey,
  publicUrl,
  onClose,
  onReplaced,
  onCopied,
}: {
  open: boolean
  boardId: string
  role: Role
  keys: BoardKeys
  /** The key this browser uses (to ask for a replacement). */
  ownKey: string
  publicUrl: string | null
  onClose: () => void
  onReplaced: (access: BoardAccess) => void
  onCopied: (ok: boolean, url: string) => void
}) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState<Role | null>(null)
  const [error, setError] = useState<CallError | null>(null)
  const [busy, setBusy] = useState(false)

  const copy = (url: string) => {
    if (!navigator.clipboard) return onCopied(false, url)
    navigator.clipboard.writeText(url).then(
      () => onCopied(true, url),
      () => onCopied(false, url),
    )
  }
  const replace = async (which: Role) => {
    setBusy(true)
    const result = await replaceLink(boardId, ownKey, which)
    setBusy(false)
    setConfirming(null)
    if (!result.ok) return setError(result.error)
    setError(null)
    onReplaced(result.value)
  }

  return (
    <Dialog open={open} title={t('share.title')} onCancel={onClose} testId="share-dialog">
      <p>{t('share.intro')}</p>
      <ul className="share-links">
        {ROLES.filter((r) => keys[r]).map((r) => {
          const url = boardLink(publicUrl, boardId, keys[r]!)
          return (
            <li key={r} className="share-link" data-testid="share-link" data-role={r}>
              <div className="share-link__text">
                <h3>{t(`roles.${r}`)}</h3>
                <p className="share-link__what">{t(`share.can.${r}`)}</p>
                <input className="share-link__url" readOnly value={url} aria-label={t('share.linkFor', { role: t(`roles.${r}`) })} data-testid="share-url" onFocus={(e) => e.target.select()} />
                <div className="share-link__actions">
                  <button type="button" className="button button--primary" data-testid="share-copy" onClick={() => copy(url)}>
                    {t('share.copy')}
                  </button>
                  {role === 'facilitator' &&
                    (confirming === r ? (
                      <>
                        <span className="share-link__warning">{t('share.replaceWarning')}</span>
                        <button type="button" className="button button--danger" data-testid="share-replace-confirm" disabled={busy} onClick={() => void replace(r)}>
                          {t('share.replaceConfirm')}
                        </button>
                        <button type="button" className="button" onClick={() => setConfirming(null)}>
                          {t('home.cancel')}
                        </button>
                      </>
                    ) : (
                      <button type="button" className="button" data-testid="share-replace" onClick={() => setConfirming(r)}>
                        {t('share.replace')}
                      </button>
                    ))}
                </div>
              </div>
              <QrCode text={url} label={t('share.qrFor', { role: t(`roles.${r}`) })} />
            </li>
          )
        })}
      </ul>
      {error && (
        <p role="alert" className="error-text">
          {errorMessage(t, error)}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} data-testid="share-close">
          {t('share.close')}
        </button>
      </div>
    </Dialog>
  )
}

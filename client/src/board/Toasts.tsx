import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

interface Toast {
  id: number
  message: string
}

/** How long a toast stays unless dismissed (ms). */
const TOAST_MS = 8000

/** A small queue of messages shown above the editor (e.g. an image that could not be uploaded). */
export function useToasts() {
  const [list, setList] = useState<Toast[]>([])
  const next = useRef(1)
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>())
  const dismiss = useCallback((id: number) => setList((items) => items.filter((item) => item.id !== id)), [])
  const show = useCallback(
    (message: string) => {
      const id = next.current++
      setList((items) => [...items.filter((item) => item.message !== message), { id, message }].slice(-3))
      const timer = setTimeout(() => {
        timers.current.delete(timer)
        dismiss(id)
      }, TOAST_MS)
      timers.current.add(timer)
    },
    [dismiss],
  )
  useEffect(() => {
    const pending = timers.current
    return () => pending.forEach(clearTimeout)
  }, [])
  return { list, show, dismiss }
}

/** Renders the toasts in a polite live region, top centre (clear of tldraw's toolbar). */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const { t } = useTranslation()
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" role="alert" data-testid="toast">
          <span>{toast.message}</span>
          <button type="button" className="button button--small" onClick={() => onDismiss(toast.id)}>
            {t('board.dismiss')}
          </button>
        </div>
      ))}
    </div>
  )
}

import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal built on the native <dialog> (focus trap, Escape and the backdrop
 * come from the browser). `onCancel` runs on Escape unless `dismissable` is false.
 */
export function Dialog({
  open,
  title,
  children,
  onCancel,
  dismissable = true,
  testId,
}: {
  open: boolean
  title: string
  children: ReactNode
  onCancel?: () => void
  dismissable?: boolean
  testId?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="dialog"
      data-testid={testId}
      aria-labelledby={testId ? `${testId}-title` : undefined}
      onCancel={(event) => {
        event.preventDefault()
        if (dismissable) onCancel?.()
      }}
    >
      {open && (
        <>
          <h2 className="dialog__title" id={testId ? `${testId}-title` : undefined}>
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  )
}

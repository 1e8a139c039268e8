import type { AnchorHTMLAttributes, MouseEvent, Ref } from 'react'
import { navigate } from './router'

/** An anchor that navigates inside the app on a plain click and stays a real link otherwise. */
export function Link({
  href,
  onClick,
  ref,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; ref?: Ref<HTMLAnchorElement> }) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  return <a href={href} ref={ref} onClick={handleClick} {...rest} />
}

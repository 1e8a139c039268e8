/**
 * The server's run-time settings, fetched once per page. When offline the last
 * copy seen in this browser is used, then safe defaults.
 */
import { useEffect, useState } from 'react'
import type { ClientConfig } from '../../../shared/api'
import { fetchConfig, parseClientConfig } from './http'

const CACHE_KEY = 'ww.config'
let pending: Promise<ClientConfig> | undefined

function cached(): ClientConfig | undefined {
  try {
    const raw = localStorage.getItem(CACHE_KEY)
    return raw ? parseClientConfig(JSON.parse(raw)) : undefined
  } catch {
    return undefined
  }
}

/** Loads the config (once); never rejects. */
export function loadClientConfig(): Promise<ClientConfig> {
  pending ??= fetchConfig().then((result) => {
    if (result.ok) {
      try {
        localStorage.setItem(CACHE_KEY, JSON.stringify(result.value))
      } catch {
        // Not remembering it only matters offline.
      }
      return result.value
    }
    pending = undefined // try again next time
    return cached() ?? parseClientConfig({})
  })
  return pending
}

/** The config, or undefined while it loads. */
export function useClientConfig(): ClientConfig | undefined {
  const [config, setConfig] = useState<ClientConfig | undefined>()
  useEffect(() => {
    let live = true
    void loadClientConfig().then((value) => live && setConfig(value))
    return () => {
      live = false
    }
  }, [])
  return config
}

/**
 * tldraw removes an unlicensed editor after a few seconds on a production build
 * served over https from a real hostname. In that case we explain instead.
 */
export function licenceIsMissing(config: ClientConfig, isProd: boolean, loc: Pick<Location, 'protocol' | 'hostname'>): boolean {
  const localHosts = ['localhost', '127.0.0.1', '[::1]', '::1']
  return isProd && loc.protocol === 'https:' && !localHosts.includes(loc.hostname) && !config.tldrawLicenseKey
}

import react from '@vitejs/plugin-react'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlib, gzip } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'

// The client lives in client/; the build lands in dist/client, which the server serves.
export default defineConfig({
  root: 'client',
  plugins: [react(), serviceWorkerPlugin(), precompressPlugin()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  // Vite 8's dependency optimizer breaks on @tldraw/assets' `?url` imports (see shared stack notes).
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/healthz': 'http://localhost:3000',
      '/sync': { target: 'ws://localhost:3000', ws: true },
    },
  },
})

// The plugins live here rather than in their own module: Vite's upcoming native config
// loader cannot import a TypeScript file without its extension, and tsc refuses one with it.

/** tldraw ships strings for ~50 languages; offline we only need ours. */
const KEPT_TRANSLATIONS = new Set(['en', 'nl', 'es'])

function isUnusedTranslation(originalNames: readonly string[]): boolean {
  return originalNames.some((name) => {
    const match = /@tldraw\/assets\/translations\/([\w-]+)\.json$/.exec(name)
    return match !== null && !KEPT_TRANSLATIONS.has(match[1])
  })
}

function serviceWorkerPlugin(): Plugin {
  return {
    name: 'workshop-whiteboard-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files: string[] = ['/index.html', '/favicon.svg']
      for (const [fileName, output] of Object.entries(bundle)) {
        if (fileName === 'index.html' || fileName.endsWith('.map')) continue
        if (output.type === 'asset' && isUnusedTranslation(output.originalFileNames ?? [])) continue
        files.push(`/${fileName}`)
      }
      files.sort()
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12)
      const template = readFileSync(new URL('./client/build/sw.template.js', import.meta.url), 'utf8')
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template.replace('__VERSION__', JSON.stringify(version)).replace('__PRECACHE__', JSON.stringify(files, null, 2)),
      })
    },
  }
}

// The Content-Security-Policy is a response header sent by the server (server/src/http/securityHeaders.ts),
// not a <meta> tag: a tag cannot say frame-ancestors, and the header covers every response, not only index.html.

/** Build files worth compressing (fonts and images are compressed already; index.html is sent by the server's shell route). */
const COMPRESSIBLE = /\.(js|css|svg|json|txt)$/

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the
 * build; the server sends them to browsers that accept them
 * (server/src/http/clientRoutes.ts). The board bundle is ~2 MB as written and
 * about a quarter of that in brotli, which decides how long a participant on a
 * slow connection waits for the board. Compressing once here, at the highest
 * level, costs the server nothing when 200 people open the board at once.
 */
function precompressPlugin(): Plugin {
  const brotli = promisify(brotliCompress)
  const gz = promisify(gzip)
  return {
    name: 'workshop-whiteboard-precompress',
    apply: 'build',
    enforce: 'post',
    async writeBundle(options, bundle) {
      const dir = options.dir
      if (!dir) return
      const files = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name))
      await Promise.all(
        files.map(async (name) => {
          const file = join(dir, name)
          const source = await readFile(file)
          if (source.length < 1024) return
          const [br, gzipped] = await Promise.all([
            brotli(source, {
              params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_SIZE_HINT]: source.length },
            }),
            gz(source, { level: zlib.Z_BEST_COMPRESSION }),
          ])
          // A copy that saves little is not worth a second file to keep in step.
          if (br.length < source.length * 0.9) await writeFile(`${file}.br`, br)
          if (gzipped.length < source.length * 0.9) await writeFile(`${file}.gz`, gzipped)
        }),
      )
    },
  }
}


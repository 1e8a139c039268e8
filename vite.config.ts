import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { contentSecurityPolicyPlugin, serviceWorkerPlugin } from './client/build/serviceWorkerPlugin'

// The client lives in client/; the build lands in dist/client, which the server serves.
export default defineConfig({
  root: 'client',
  plugins: [react(), serviceWorkerPlugin(), contentSecurityPolicyPlugin()],
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

import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { resolve } from 'node:path'

/**
 * In development the main process sends a CSP header that lets React refresh's inline preamble
 * run; index.html's stricter meta policy would still block it, so the dev server drops the meta.
 */
const devCspFromHeaderOnly: Plugin = {
  name: 'keygate-dev-csp-from-header-only',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/, '')
}

export default defineConfig({
  main: {
    build: {
      // Bundle every dependency (electron-store and conf are ESM-only; zod, the demo emulator)
      // except keytar, a native module loaded from node_modules at run time.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/main/index.ts') },
        external: ['keytar']
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot load modules or ESM: one self-contained CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), devCspFromHeaderOnly],
    build: {
      outDir: resolve('out/renderer'),
      // electron-vite leaves renderer code unminified; minified it loads and parses a third less.
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})

import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

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
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // electron-vite leaves renderer code unminified; minified it loads and parses a third less.
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})

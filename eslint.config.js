import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// The dependency rule of docs/architecture.md#layers, held by lint (and by
// src/main/core/layering.test.ts, which follows the whole import graph).
const rawIpcBan = (name) => ({
  name: 'electron',
  importNames: [name],
  message: `Only ${name === 'ipcMain' ? 'src/main/ipc' : 'src/preload'} may import ${name}: go through the typed contract in src/shared/ipc.ts.`
})
const rawIpcBans = [rawIpcBan('ipcMain'), rawIpcBan('ipcRenderer')]

const electronBan = (why) => ({ regex: '^electron(/.*)?$', message: why })
// `../x`, `../../x/y`, `../../main/x`, at any depth: a parent-relative path into one of `folders`.
const folderBan = (folders, why, via) => ({
  regex: `^(\\.\\./)+(${via}/)?(${folders.join('|')})(/.*)?$`,
  message: why
})

const coreElectron = electronBan(
  'The core runs in plain Node: receive Electron services through ports and adapters (docs/architecture.md#layers).'
)
const coreHostBan = (folders) =>
  folderBan(
    folders,
    'The core never imports the Electron host (main/shell, main/ipc, main/adapters): take a port through the constructor (docs/architecture.md#layers).',
    'main'
  )

const restrict = (patterns, paths = rawIpcBans) => ({
  'no-restricted-imports': ['error', { paths, patterns }]
})

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      '.stryker-tmp/**',
      'reports/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      ...restrict([])
    }
  },
  {
    files: ['src/main/ipc/**'],
    rules: restrict([], [rawIpcBan('ipcRenderer')])
  },
  {
    files: ['src/preload/**'],
    rules: restrict([], [rawIpcBan('ipcMain')])
  },
  {
    files: ['src/main/core/**'],
    rules: restrict([coreElectron, coreHostBan(['shell', 'ipc', 'adapters'])])
  },
  {
    // Integration tests may wire a real adapter (the OS keychain) into the core they test, and
    // call it through the contract's dispatch as main does.
    files: ['src/main/core/**/*.test.ts'],
    rules: restrict([coreElectron, coreHostBan(['shell'])])
  },
  {
    files: ['src/shared/**'],
    rules: restrict([
      electronBan(
        'src/shared is loaded by every layer: no electron (docs/architecture.md#layers).'
      ),
      folderBan(
        ['main', 'renderer', 'preload'],
        'src/shared depends on nothing of main, preload or the renderer (docs/architecture.md#layers).',
        'src'
      )
    ])
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        electronBan(
          'The renderer talks only to window.keygate through its api module (docs/architecture.md#layers).'
        ),
        folderBan(
          ['main', 'preload'],
          'The renderer reaches main only through window.keygate and src/shared (docs/architecture.md#layers).',
          'src'
        )
      ])
    }
  }
)

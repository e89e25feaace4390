import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const rawIpcBan = (name) => ({
  name: 'electron',
  importNames: [name],
  message: `Only ${name === 'ipcMain' ? 'src/main/ipc' : 'src/preload'} may import ${name}: go through the typed contract in src/shared/ipc.ts.`
})

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [rawIpcBan('ipcMain'), rawIpcBan('ipcRenderer')] }]
    }
  },
  {
    files: ['src/main/ipc/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpcBan('ipcRenderer')] }] }
  },
  {
    files: ['src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpcBan('ipcMain')] }] }
  },
  {
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The core runs in plain Node: receive Electron services through adapters (design §1).' }] }
      ]
    }
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The renderer talks only to window.keygate through its api module.' }] }
      ]
    }
  }
)

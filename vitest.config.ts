import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'emulator/**/*.test.ts',
      'chaos/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts'
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})

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
      'test/**/*.test.ts',
      'test-support/**/*.test.ts'
    ],
    environment: 'node',
    // CI sets KEYGATE_FAIL_ON_SKIP=1: a skip not listed in test-support/skip-policy.ts fails the run.
    reporters: ['default', './test-support/vitest-skip-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})

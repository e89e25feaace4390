import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config'

/**
 * The unit suite as StrykerJS runs it for every mutant: without the chaos run (workers, about
 * 15 s) and the benchmarks, which no mutant of the mutated folders needs to be caught.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['**/node_modules/**', 'chaos/**', 'bench/**', '.stryker-tmp/**'] }
  })
)

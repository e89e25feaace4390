import path from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'
import { judgeSkips, reportSkips } from './skip-policy'

/** Lists skipped tests with their reason; with KEYGATE_FAIL_ON_SKIP=1 an unexpected skip fails the run. */
export default class SkipGuard implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (process.env.KEYGATE_FAIL_ON_SKIP !== '1') return
    const skipped: string[] = []
    for (const module of modules) {
      const file = path.relative(process.cwd(), module.moduleId).split(path.sep).join('/')
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') skipped.push(`${file} > ${test.fullName}`)
      }
    }
    if (!reportSkips('vitest', judgeSkips(skipped, process.env))) process.exitCode = 1
  }
}

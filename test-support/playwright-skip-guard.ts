import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter'
import { judgeSkips, reportSkips } from './skip-policy'

/** Lists skipped specs with their reason; with KEYGATE_FAIL_ON_SKIP=1 an unexpected skip fails the run. */
export default class SkipGuard implements Reporter {
  private readonly skipped: string[] = []

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    // titlePath: root, project, file, ...suites, title
    const [, project, ...rest] = test.titlePath()
    this.skipped.push([project, ...rest].join(' > '))
  }

  async onEnd(): Promise<{ status?: FullResult['status'] } | undefined> {
    if (process.env.KEYGATE_FAIL_ON_SKIP !== '1') return undefined
    const ok = reportSkips('playwright', judgeSkips(this.skipped, process.env))
    return ok ? undefined : { status: 'failed' }
  }

  printsToStdio(): boolean {
    return false
  }
}

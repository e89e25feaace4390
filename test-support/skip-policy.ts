/**
 * Which skipped tests are expected, and why. CI (KEYGATE_FAIL_ON_SKIP=1) fails on any other skip:
 * a test that quietly stops running is a regression nobody sees.
 */
import { findElectronBinary } from '../e2e/harness/electron-binary'

export interface ExpectedSkip {
  /** Matched against `<file or project> > <suite> > <test>`. */
  test: RegExp
  /** Printed with the skip. */
  reason: string
  /** True when this skip is legitimate in the current environment. */
  expected(env: NodeJS.ProcessEnv): boolean
}

const noKeychain = (env: NodeJS.ProcessEnv): boolean =>
  !env.DBUS_SESSION_BUS_ADDRESS && env.KEYGATE_REQUIRE_KEYCHAIN !== '1'

export const expectedSkips: readonly ExpectedSkip[] = [
  {
    test: /^src\/main\/core\/profiles\/profile-service\.test\.ts > profile service with the real OS keychain > /,
    reason: 'no D-Bus session bus with a Secret Service here (CI provides one)',
    expected: noKeychain
  },
  {
    test: /^src\/main\/adapters\/keytar-credential-store\.test\.ts > keytar credential store: the real keychain > /,
    reason: 'no D-Bus session bus with a Secret Service here (CI provides one)',
    expected: noKeychain
  },
  {
    test: /^electron > /,
    reason: 'no Electron binary here: the electron project runs only where one is installed',
    expected: () => 'reason' in findElectronBinary()
  }
]

export interface SkipVerdict {
  expected: { test: string; reason: string }[]
  unexpected: string[]
}

/** Sorts skipped test ids into expected (with their reason) and unexpected. */
export function judgeSkips(
  skipped: readonly string[],
  env: NodeJS.ProcessEnv,
  policy: readonly ExpectedSkip[] = expectedSkips
): SkipVerdict {
  const verdict: SkipVerdict = { expected: [], unexpected: [] }
  for (const test of skipped) {
    const rule = policy.find((candidate) => candidate.test.test(test) && candidate.expected(env))
    if (rule) verdict.expected.push({ test, reason: rule.reason })
    else verdict.unexpected.push(test)
  }
  return verdict
}

/** Prints the verdict; returns false when something skipped without an expected reason. */
export function reportSkips(runner: string, verdict: SkipVerdict): boolean {
  const reasons = new Map<string, number>()
  for (const { reason } of verdict.expected) reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  for (const [reason, count] of reasons) {
    console.log(`[${runner}] ${count} test(s) skipped as expected: ${reason}`)
  }
  if (verdict.unexpected.length === 0) return true
  const lines = verdict.unexpected.map((test) => `  - ${test}`).join('\n')
  console.log(
    `[${runner}] ${verdict.unexpected.length} test(s) skipped without an expected reason (test-support/skip-policy.ts):\n${lines}`
  )
  return false
}

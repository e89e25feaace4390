import { describe, expect, it } from 'vitest'
import { judgeSkips, type ExpectedSkip } from './skip-policy'

const policy: ExpectedSkip[] = [
  {
    test: /^a\.test\.ts > keychain > /,
    reason: 'no keychain',
    expected: (env) => !env.DBUS_SESSION_BUS_ADDRESS
  }
]

describe('judgeSkips', () => {
  it('accepts a listed skip, with its reason, only where its condition holds', () => {
    const skipped = ['a.test.ts > keychain > stores a secret']
    expect(judgeSkips(skipped, {}, policy)).toEqual({
      expected: [{ test: skipped[0], reason: 'no keychain' }],
      unexpected: []
    })
    expect(judgeSkips(skipped, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/bus' }, policy)).toEqual({
      expected: [],
      unexpected: skipped
    })
  })

  it('flags every skip the policy does not list', () => {
    const skipped = ['b.test.ts > tls > connects', 'a.test.ts > other > x']
    expect(judgeSkips(skipped, {}, policy).unexpected).toEqual(skipped)
  })
})

import { describe, expect, it } from 'vitest'
import type { Logger } from '../ports'
import { FakeClock } from '../testing/fake-clock'
import { FakePortal } from '../testing/fake-portal'
import { FakeStore } from '../testing/fake-store'
import { Outbox } from './outbox'
import { approve, createHarness } from './testing/harness'

/** An Outbox with no credential listener: the harness always registers one. */
function unheardOutbox(logger: Logger | undefined) {
  const portal = new FakePortal('p1', { pending: ['r1'] })
  const outbox = new Outbox({
    store: new FakeStore(),
    clock: new FakeClock(),
    random: () => 0.5,
    clientFor: async () => portal,
    ...(logger ? { logger } : {})
  })
  return { outbox, portal }
}

describe('Outbox credentials nobody listens for', () => {
  it('logs an approval whose key no listener took, naming the action', async () => {
    const logs: string[] = []
    const record = (message: string, data?: Record<string, unknown>): void => {
      logs.push(`${message} ${JSON.stringify(data ?? {})}`)
    }
    const { outbox } = unheardOutbox({ info: record, warn: record, error: record })
    const { opId } = outbox.enqueue(approve('r1'))
    await outbox.flush()
    // The key is gone for good: this line is all an operator has to go on.
    expect(logs).toContain(
      `An approval issued a credential but nothing listens for it ${JSON.stringify({ opId })}`
    )
    expect(logs.join('\n')).not.toContain('raw-key-r1-secret')
  })

  it('with no logger, still ends the approval as done and sent once', async () => {
    const { outbox, portal } = unheardOutbox(undefined)
    const { opId } = outbox.enqueue(approve('r1'))
    await outbox.flush()
    expect(outbox.get(opId)).toMatchObject({ state: 'done', resolution: null, lastError: null })
    expect(portal.count('approve')).toBe(1)
  })

  it('logs nothing of the kind when a listener took the key', async () => {
    const h = createHarness({ profiles: { p1: { pending: ['r1'] } } })
    h.outbox.enqueue(approve('r1'))
    await h.outbox.flush()
    expect(h.credentials).toHaveLength(1)
    expect(h.logs.join('\n')).not.toContain('nothing listens')
  })
})

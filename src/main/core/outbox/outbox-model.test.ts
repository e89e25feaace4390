/**
 * Model-based property test: random sequences of user and portal events run against the real
 * Outbox (fake clock, fake portal) and a reference model of what must hold: the items the user
 * queued, a duplicate enqueue answered by the active item, cancelled actions never sent, every
 * action ending in a state its portal agrees with, no request approved twice, nothing approved
 * ever deleted.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ActionKind } from '../../../shared/domain'
import type { FaultKind } from '../testing/fake-portal'
import { approve, createHarness, decline } from './testing/harness'

const requests = ['r1', 'r2', 'r3', 'r4']
const faults: FaultKind[] = [
  'server-error',
  'rate-limited',
  'offline',
  'lost-before-commit',
  'lost-after-commit',
  'garbled-after-commit',
  'bad-request'
]

type Command =
  | { op: 'enqueue'; kind: ActionKind; requestId: string }
  | { op: 'fault'; method: 'approve' | 'decline' | 'listRequests' | 'getRequest'; kind: FaultKind }
  | { op: 'flush'; ignoreBackoff: boolean }
  | { op: 'advance'; ms: number }
  | { op: 'cancel'; pick: number }
  | { op: 'retry'; pick: number }
  | { op: 'rival'; action: 'approve' | 'delete'; requestId: string }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('enqueue' as const),
    kind: fc.constantFrom<ActionKind>('approve', 'decline'),
    requestId: fc.constantFrom(...requests)
  }),
  fc.record({
    op: fc.constant('fault' as const),
    method: fc.constantFrom('approve', 'decline', 'listRequests', 'getRequest'),
    kind: fc.constantFrom(...faults)
  }),
  fc.record({ op: fc.constant('flush' as const), ignoreBackoff: fc.boolean() }),
  fc.record({
    op: fc.constant('advance' as const),
    ms: fc.constantFrom(0, 1_000, 20_000, 400_000)
  }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat(20) }),
  fc.record({ op: fc.constant('retry' as const), pick: fc.nat(20) }),
  fc.record({
    op: fc.constant('rival' as const),
    action: fc.constantFrom('approve', 'delete'),
    requestId: fc.constantFrom(...requests)
  })
)

describe('Outbox against a reference model', () => {
  it('keeps every queued action, sends nothing cancelled, approves nothing twice and deletes nothing approved', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        const h = createHarness({
          profiles: { p1: { pending: requests } },
          deps: { random: () => 0.5, reconcileGraceMs: 15_000 }
        })
        const portal = h.portal()
        // The model: each action the user queued, and whether the user cancelled it.
        const model = new Map<string, { kind: ActionKind; requestId: string; cancelled: boolean }>()
        for (const step of commands) {
          switch (step.op) {
            case 'enqueue': {
              const active = h.outbox
                .list()
                .find(
                  (item) =>
                    item.requestId === step.requestId &&
                    item.kind === step.kind &&
                    ['queued', 'sending', 'needs-auth'].includes(item.state)
                )
              const input =
                step.kind === 'approve' ? approve(step.requestId) : decline(step.requestId)
              const item = h.outbox.enqueue(input)
              if (active) expect(item.opId).toBe(active.opId)
              else model.set(item.opId, { ...step, cancelled: false })
              break
            }
            case 'fault':
              portal.inject(step.method, step.kind)
              break
            case 'flush':
              await h.outbox.flush(undefined, { ignoreBackoff: step.ignoreBackoff })
              break
            case 'advance':
              h.clock.skip(step.ms)
              break
            case 'cancel': {
              const items = h.outbox.list()
              const item = items[step.pick % Math.max(1, items.length)]
              if (!item) break
              const before = portal.calls.length
              try {
                h.outbox.cancel(item.opId)
              } catch {
                // Only a queued item whose earlier call cannot have landed can be cancelled.
                expect(h.outbox.get(item.opId)?.state).toBe(item.state)
                break
              }
              const entry = model.get(item.opId)
              if (entry) entry.cancelled = true
              expect(portal.calls.length).toBe(before)
              break
            }
            case 'retry': {
              const items = h.outbox.list()
              const item = items[step.pick % Math.max(1, items.length)]
              if (item) {
                try {
                  h.outbox.retry(item.opId)
                } catch {
                  // Finished or in-flight items cannot be retried.
                }
              }
              break
            }
            case 'rival':
              if (step.action === 'approve' && portal.states.get(step.requestId) === 'pending') {
                portal.states.set(step.requestId, 'approved')
              } else if (
                step.action === 'delete' &&
                portal.states.get(step.requestId) === 'pending'
              ) {
                portal.states.delete(step.requestId)
              }
              break
          }
          const listed = h.outbox.list()
          // Nothing queued is ever lost while it matters: every modelled action is still there.
          expect(new Set(listed.map((item) => item.opId))).toEqual(new Set(model.keys()))
          for (const [opId, entry] of model) {
            if (entry.cancelled) expect(h.outbox.get(opId)?.state).toBe('cancelled')
          }
          expect([...portal.approvals.values()].every((count) => count <= 1)).toBe(true)
          expect(portal.deletesOfApproved).toBe(0)
          expect(portal.overlaps).toBe(0)
        }

        // Settle: no more faults, time moves on, every action ends; its end matches the portal.
        for (let round = 0; round < 6; round += 1) {
          h.clock.skip(400_000)
          for (const item of h.outbox.list()) {
            if (item.state === 'failed' || item.state === 'needs-auth') h.outbox.retry(item.opId)
          }
          await h.outbox.flush(undefined, { ignoreBackoff: true })
        }
        for (const item of h.outbox.list()) {
          expect(['done', 'conflict', 'cancelled', 'failed']).toContain(item.state)
          const state = portal.states.get(item.requestId)
          if (item.state === 'done' && item.kind === 'approve') expect(state).toBe('approved')
          if (item.state === 'done' && item.kind === 'decline') expect(state).toBeUndefined()
          if (item.state === 'cancelled') {
            expect(model.get(item.opId)?.cancelled).toBe(true)
            // A cancelled approve issued no key, unless another approve of that request did.
            const approvedByAnother = h.outbox
              .list()
              .some(
                (o) => o.requestId === item.requestId && o.kind === 'approve' && o.state === 'done'
              )
            if (item.kind === 'approve' && !approvedByAnother) {
              expect(portal.approvals.get(item.requestId) ?? 0).toBe(0)
            }
          }
        }
      }),
      { numRuns: 300, seed: 4242 }
    )
  }, 120_000)
})

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { invokeChannels, type InvokeHandlers } from '../../shared/ipc'
import { AppFailure } from '../../shared/result'
import { fieldErrorsFromAppError } from '../../renderer/src/lib/field-errors'
import type { Logger } from '../core/ports'
import { dispatchInvoke, isInvokeChannel } from './dispatch'

interface Recorded {
  calls: { channel: string; args: unknown }[]
  logged: { level: string; message: string; data?: Record<string, unknown> }[]
}

/** Handlers that record what reached them and answer from `answer` (or echo the channel). */
function fixture(answer: (channel: string, args: unknown) => Promise<unknown> = async (c) => c) {
  const recorded: Recorded = { calls: [], logged: [] }
  const handlers = Object.fromEntries(
    invokeChannels.map((channel) => [
      channel,
      (args: unknown) => {
        recorded.calls.push({ channel, args })
        return answer(channel, args)
      }
    ])
  ) as unknown as InvokeHandlers
  const log =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      recorded.logged.push({ level, message, ...(data ? { data } : {}) })
    }
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') }
  return { handlers, recorded, logger }
}

const validProfile = {
  name: '  Production  ',
  baseUrl: 'https://dashboard.example.com',
  secret: 'a-dashboard-key'
}

describe('dispatchInvoke', () => {
  it('passes the parsed argument to the handler and wraps its value in ok', async () => {
    const { handlers, recorded } = fixture(async () => ({ id: 'p1' }))
    const result = await dispatchInvoke(handlers, 'profiles:create', validProfile)
    expect(result).toEqual({ ok: true, value: { id: 'p1' } })
    expect(recorded.calls).toEqual([
      { channel: 'profiles:create', args: { ...validProfile, name: 'Production' } }
    ])
  })

  it('accepts no argument on channels that take none', async () => {
    const { handlers } = fixture()
    expect(await dispatchInvoke(handlers, 'profiles:list', undefined)).toEqual({
      ok: true,
      value: 'profiles:list'
    })
  })

  it('answers VALIDATION naming each bad field, without calling the handler', async () => {
    const { handlers, recorded } = fixture()
    const result = await dispatchInvoke(handlers, 'profiles:create', {
      name: ' ',
      baseUrl: 'ftp://dashboard',
      secret: 'k'
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('VALIDATION')
    expect(result.error.retryable).toBe(false)
    expect(result.error.message).toContain('name: Give the profile a name')
    expect(result.error.message).toContain('baseUrl: Enter the Dashboard URL with http://')
    expect(recorded.calls).toEqual([])
  })

  it('words VALIDATION so the renderer maps it back onto its form fields', async () => {
    const { handlers } = fixture()
    const result = await dispatchInvoke(handlers, 'profiles:update', {
      id: 'p1',
      patch: { name: '', pollIntervalSec: 2 }
    })
    if (result.ok) throw new Error('expected a validation failure')
    expect(result.error.message).toMatch(/^patch\.name: .+; patch\.pollIntervalSec: .+$/)
    const mapped = fieldErrorsFromAppError(result.error, ['name', 'pollIntervalSec'] as const)
    expect(mapped.fields.name).toBe('Give the profile a name')
    expect(mapped.fields.pollIntervalSec).toBeTruthy()
    expect(mapped.rest).toBeNull()
  })

  it.each([
    ['Date', () => new Date(0)],
    ['Map', () => new Map([['name', 'x']])],
    ['Set', () => new Set(['x'])],
    ['RegExp', () => /x/]
  ])(
    'refuses a %s as the profiles:update patch, without calling the handler',
    async (kind, make) => {
      const { handlers, recorded } = fixture()
      const result = await dispatchInvoke(handlers, 'profiles:update', { id: 'p1', patch: make() })
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      if (!result.ok) expect(result.error.message).toContain(kind)
      expect(recorded.calls).toEqual([])
    }
  )

  it('refuses an argument on a channel that takes none', async () => {
    const { handlers, recorded } = fixture()
    const result = await dispatchInvoke(handlers, 'outbox:list', { all: true })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(recorded.calls).toEqual([])
  })

  it.each(['nope:nothing', '__proto__', 'constructor', 'toString', ''])(
    'refuses the unknown channel %j without throwing',
    async (channel) => {
      const { handlers, recorded } = fixture()
      const result = await dispatchInvoke(handlers, channel, undefined)
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      expect(recorded.calls).toEqual([])
    }
  )

  it('keeps an AppFailure’s code and message and does not log it', async () => {
    const { handlers, recorded, logger } = fixture(async () => {
      throw new AppFailure('AUTH_REJECTED', 'API secret rejected (401): update the profile')
    })
    const result = await dispatchInvoke(handlers, 'keys:list', undefined, { logger })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'AUTH_REJECTED',
        message: 'API secret rejected (401): update the profile',
        retryable: false
      }
    })
    expect(recorded.logged).toEqual([])
  })

  it('hides an unexpected error behind INTERNAL and logs its stack', async () => {
    const { handlers, recorded, logger } = fixture(async () => {
      throw new TypeError('cannot read properties of undefined (reading /home/admin/.secret)')
    })
    const result = await dispatchInvoke(handlers, 'outbox:list', undefined, { logger })
    if (result.ok) throw new Error('expected a failure')
    expect(result.error.code).toBe('INTERNAL')
    expect(result.error.message).not.toContain('/home/admin')
    expect(result.error.message).not.toMatch(/\bat\s/)
    expect(recorded.logged).toHaveLength(1)
    expect(recorded.logged[0]).toMatchObject({
      level: 'error',
      message: 'outbox:list failed unexpectedly',
      data: { channel: 'outbox:list' }
    })
    expect(String(recorded.logged[0]?.data?.error)).toContain('TypeError')
  })

  it('turns a zod error thrown by a handler into VALIDATION', async () => {
    const { handlers } = fixture(async () => z.object({ n: z.number() }).parse({ n: 'x' }))
    const result = await dispatchInvoke(handlers, 'app:info', undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})

describe('isInvokeChannel', () => {
  it('knows every contract channel and nothing inherited', () => {
    for (const channel of invokeChannels) expect(isInvokeChannel(channel)).toBe(true)
    expect(isInvokeChannel('hasOwnProperty')).toBe(false)
    expect(isInvokeChannel(42)).toBe(false)
    // Object.hasOwn would turn these into the string 'app:info'.
    expect(isInvokeChannel(['app:info'])).toBe(false)
    expect(isInvokeChannel({ toString: () => 'app:info' })).toBe(false)
  })

  it('names an unknown channel in the refusal, cut to 60 characters', async () => {
    const { handlers } = fixture()
    const long = `x${'y'.repeat(100)}`
    expect(await dispatchInvoke(handlers, long, undefined)).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: `Unknown request "${long.slice(0, 60)}".`,
        retryable: false
      }
    })
  })

  describe('size caps', () => {
    const createArgs = (fields: Record<string, string>) => ({
      profileId: 'p1',
      developerId: 'd1',
      policyIds: ['pol1'],
      fields
    })
    /** `count` custom fields of `length` characters each (one shared string: cheap to build). */
    const manyFields = (count: number, length: number) => {
      const value = 'x'.repeat(length)
      return Object.fromEntries(Array.from({ length: count }, (_, i) => [`field${i}`, value]))
    }

    it('refuses a 100 MB requests:create with a VALIDATION error, before the handler', async () => {
      const { handlers, recorded } = fixture()
      const result = await dispatchInvoke(
        handlers,
        'requests:create',
        createArgs(manyFields(20_000, 5_000))
      )
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'VALIDATION',
          message: expect.stringMatching(/too large/),
          retryable: false
        }
      })
      expect(recorded.calls).toEqual([])
    })

    it('caps the number of custom fields', async () => {
      const { handlers, recorded } = fixture()
      const result = await dispatchInvoke(
        handlers,
        'requests:create',
        createArgs(manyFields(51, 10))
      )
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message: 'fields: At most 50 custom fields' }
      })
      expect(recorded.calls).toEqual([])
      expect(
        await dispatchInvoke(handlers, 'requests:create', createArgs(manyFields(50, 5_000)))
      ).toMatchObject({ ok: true })
    })

    it('refuses arguments too large or too deep however they are shaped, ignored fields included', async () => {
      const { handlers, recorded } = fixture()
      let deep: unknown = 'bottom'
      for (let i = 0; i < 100; i += 1) deep = { deeper: deep }
      const oversized = [
        { profileId: 'p1', extra: 'x'.repeat(2_000_000) },
        { profileId: 'p1', extra: Array.from({ length: 100_000 }, () => 1) },
        { profileId: 'p1', extra: deep }
      ]
      for (const args of oversized) {
        const result = await dispatchInvoke(handlers, 'decisions:list', args)
        expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      }
      expect(recorded.calls).toEqual([])
    })
  })
})

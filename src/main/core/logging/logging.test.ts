import { describe, expect, it } from 'vitest'
import { createLogger } from './logger'
import { createRedactingLogger, createRedactor, REDACTED } from './redactor'

const fixedClock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5), setTimeout: () => () => {} }

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and data', () => {
    const lines: string[] = []
    const logger = createLogger((line) => lines.push(line), fixedClock)
    logger.info('hello', { profileId: 'p1' })
    logger.error('failed', { error: new TypeError('boom') })
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'hello', data: { profileId: 'p1' } },
      {
        time: '2026-01-02T03:04:05.000Z',
        level: 'error',
        msg: 'failed',
        data: { error: { name: 'TypeError', message: 'boom' } }
      }
    ])
  })

  it('survives a sink that throws and data that cannot be serialised', () => {
    const lines: string[] = []
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    createLogger(() => {
      throw new Error('disk full')
    }).warn('ignored')
    createLogger((line) => lines.push(line), fixedClock).warn('cyclic', cyclic)
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'cyclic', data: '[unserialisable]' })
  })
})

describe('createRedactingLogger', () => {
  it('scrubs registered secrets from messages, nested data and errors', () => {
    const lines: string[] = []
    const redactor = createRedactor()
    const logger = createRedactingLogger(
      createLogger((line) => lines.push(line)),
      redactor
    )
    redactor.register('s3cr3t-api-key')
    redactor.register('s3cr3t') // contained in the first: the longer one must still go whole
    redactor.register('ab') // short: scrubbed only where it stands as a word
    logger.warn('sent s3cr3t-api-key to the portal', {
      headers: [{ authorization: 'Bearer s3cr3t-api-key' }],
      error: new Error('echoed s3cr3t back'),
      count: 3,
      tab: 'ab',
      label: 'tabs'
    })
    const line = lines[0]!
    expect(line).not.toContain('s3cr3t')
    expect(JSON.parse(line)).toMatchObject({
      msg: `sent ${REDACTED} to the portal`,
      data: {
        headers: [{ authorization: REDACTED }],
        error: { name: 'Error', message: `echoed ${REDACTED} back` },
        count: 3,
        tab: REDACTED,
        label: 'tabs'
      }
    })
  })
})

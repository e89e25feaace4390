import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppFailure } from '../../shared/result'
import { toAppError } from './errors'

describe('toAppError', () => {
  it('keeps an AppFailure as it is', () => {
    expect(toAppError(new AppFailure('OFFLINE', 'Portal unreachable', true))).toEqual({
      code: 'OFFLINE',
      message: 'Portal unreachable',
      retryable: true
    })
  })

  it('turns a zod error into VALIDATION with its first issue', () => {
    const result = z
      .object({ name: z.string().min(1, 'Give the profile a name') })
      .safeParse({ name: '' })
    expect(result.success).toBe(false)
    expect(toAppError(result.error)).toEqual({
      code: 'VALIDATION',
      message: 'Give the profile a name (name)',
      retryable: false
    })
  })

  it('hides anything unexpected behind a generic INTERNAL error', () => {
    const error = toAppError(new Error('ENOENT: /home/admin/.config/keygate/x.json'))
    expect(error.code).toBe('INTERNAL')
    expect(error.message).not.toContain('ENOENT')
    expect(toAppError('a string').code).toBe('INTERNAL')
  })
})

import { describe, expect, it } from 'vitest'
import { profileInputSchema } from '../../../shared/ipc'
import { fieldErrorsFromAppError, fieldErrorsFromIssues } from './field-errors'

const fields = ['name', 'baseUrl', 'secret'] as const

describe('field errors', () => {
  it('maps the shared schema issues onto the form fields', () => {
    const parsed = profileInputSchema.safeParse({ name: '', baseUrl: 'ftp://x', secret: '' })
    expect(parsed.success).toBe(false)
    if (parsed.success) return
    const { fields: found } = fieldErrorsFromIssues(parsed.error.issues, fields)
    expect(found.name).toBe('Give the profile a name')
    expect(found.baseUrl).toMatch(/http:\/\/ or https:\/\//)
    expect(found.secret).toBe('Paste the Dashboard API key')
  })

  it('reads "field: message" segments of a VALIDATION error, dotted paths included', () => {
    const result = fieldErrorsFromAppError(
      {
        code: 'VALIDATION',
        message: 'patch.name: Give the profile a name; baseUrl: Enter the Dashboard URL',
        retryable: false
      },
      fields
    )
    expect(result.fields).toEqual({
      name: 'Give the profile a name',
      baseUrl: 'Enter the Dashboard URL'
    })
    expect(result.rest).toBeNull()
  })

  it("reads zod's pretty error format", () => {
    const result = fieldErrorsFromAppError(
      {
        code: 'VALIDATION',
        message: '✖ Paste the Dashboard API key\n  → at secret',
        retryable: false
      },
      fields
    )
    expect(result.fields).toEqual({ secret: 'Paste the Dashboard API key' })
  })

  it('keeps other errors, and validation it cannot place, as a form-level message', () => {
    const offline = { code: 'OFFLINE' as const, message: 'Portal unreachable', retryable: true }
    expect(fieldErrorsFromAppError(offline, fields)).toEqual({
      fields: {},
      rest: 'Portal unreachable'
    })
    const vague = { code: 'VALIDATION' as const, message: 'Invalid arguments', retryable: false }
    expect(fieldErrorsFromAppError(vague, fields)).toEqual({
      fields: {},
      rest: 'Invalid arguments'
    })
  })
})

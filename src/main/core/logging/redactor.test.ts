import { describe, expect, it } from 'vitest'
import { createRedactor, REDACTED } from './redactor'

const secret = 'Kg7-secret/with+chars=='
const hexKey = '5f8d0a1e2b3c4d5e6f708192a3b4c5d6'

function redactorWith(...values: string[]) {
  const redactor = createRedactor()
  for (const value of values) redactor.register(value)
  return redactor
}

const b64 = (text: string) => Buffer.from(text).toString('base64')
const b64url = (text: string) => Buffer.from(text).toString('base64url')

describe('createRedactor: registered values', () => {
  it('replaces every occurrence, not just the first', () => {
    const text = redactorWith(secret).scrubText(`${secret} then ${secret} and ${secret}`)
    expect(text).toBe(`${REDACTED} then ${REDACTED} and ${REDACTED}`)
  })

  it.each([
    ['URL-encoded', encodeURIComponent(secret)],
    ['URL-encoded, lower-case escapes', encodeURIComponent(secret).toLowerCase()],
    ['upper-cased', secret.toUpperCase()],
    ['base64', b64(secret)],
    ['base64url', b64url(secret)],
    ['base64 inside a longer value', b64(`{"auth":"${secret}","x":1}`)],
    ['base64url inside a longer value', b64url(`u:${secret}`)],
    ['JSON-escaped', JSON.stringify(JSON.stringify({ key: secret }))],
    [
      '\\u-escaped',
      [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    ]
  ])('scrubs the %s form', (_form, encoded) => {
    const text = redactorWith(secret).scrubText(`echo: ${encoded} end`)
    expect(text).not.toContain(encoded)
    expect(text).toContain(REDACTED)
    expect(text.startsWith('echo: ')).toBe(true)
  })

  it('replaces a value that contains another registered one whole, whichever came first', () => {
    for (const order of [
      ['XXXXXXXX', 'XXXXXXXXabcdefgh'],
      ['XXXXXXXXabcdefgh', 'XXXXXXXX']
    ]) {
      expect(redactorWith(...order).scrubText('<XXXXXXXXabcdefgh>')).toBe(`<${REDACTED}>`)
    }
  })

  it('tells apart thousands of keys that share their prefix and suffix', () => {
    const key = (n: number) => b64(`{"org":"5e9d","id":"${n.toString(16).padStart(32, '0')}"}`)
    const redactor = redactorWith(...Array.from({ length: 2_000 }, (_, n) => key(n)))
    const text = redactor.scrubText(`a=${encodeURIComponent(key(5))} b=${key(1_999).toUpperCase()}`)
    expect(text).toBe(`a=${REDACTED} b=${REDACTED}`)
  })

  it('scrubs a short secret where it stands as a word, and leaves words that merely contain it', () => {
    const redactor = redactorWith('pw12')
    expect(redactor.scrubText('authorization pw12, sent')).toBe(`authorization ${REDACTED}, sent`)
    expect(redactor.scrubText('xpw12y stays')).toBe('xpw12y stays')
  })

  it('scrubs secrets used as object keys and inside nested data and errors', () => {
    const redactor = redactorWith(secret)
    const scrubbed = redactor.scrub({
      [secret]: ['policy-1'],
      nested: [{ note: `sent ${secret}` }],
      error: new Error(`echoed ${secret}`)
    })
    expect(JSON.stringify(scrubbed)).not.toContain(secret)
    expect(scrubbed).toMatchObject({
      [REDACTED]: ['policy-1'],
      nested: [{ note: `sent ${REDACTED}` }],
      error: { message: `echoed ${REDACTED}` }
    })
  })
})

describe('createRedactor: credentials it was never told about', () => {
  it.each([
    ['RawKey', 'never-registered-1'],
    ['Password', 'hunter2'],
    ['secret', 'oauth-secret-x'],
    ['client_secret', 'cs-123'],
    ['authorization', 'abc'],
    ['api_key', 'k-9'],
    ['jwt_secret', 'jwt-1'],
    ['sso_key', 'sso-1']
  ])('scrubs values under %s, in data and in text', (name, value) => {
    const redactor = createRedactor()
    expect(redactor.scrub({ [name]: value, count: 2 })).toEqual({ [name]: REDACTED, count: 2 })
    const json = JSON.stringify({ [name]: value, other: 'kept' })
    expect(redactor.scrubText(`Dashboard said ${json}`)).toBe(
      `Dashboard said {"${name}":"${REDACTED}","other":"kept"}`
    )
    expect(redactor.scrubText(`?${name}=${value}&p=1`)).toBe(`?${name}=${REDACTED}&p=1`)
  })

  it('scrubs header lines and leaves prose that merely names a secret alone', () => {
    const redactor = createRedactor()
    expect(redactor.scrubText('Authorization: Bearer abc123\nx-api-key: k-1')).toBe(
      `Authorization: Bearer ${REDACTED}\nx-api-key: ${REDACTED}`
    )
    const prose =
      'API secret rejected. Update the profile’s API secret: queued actions resume then.'
    expect(redactor.scrubText(prose)).toBe(prose)
  })

  it('scrubs the JSON-escaped form of a credential field inside a string', () => {
    const inner = JSON.stringify(JSON.stringify({ RawKey: 'never-registered-2' }))
    expect(createRedactor().scrubText(inner)).not.toContain('never-registered-2')
  })

  it('keeps ordinary keys as they are, prototype names included', () => {
    const data = { toString: 'a', constructor: 'b', nested: { hasOwnProperty: 1 } }
    expect(createRedactor().scrub(data)).toEqual(data)
  })

  it('keeps flags and counts under credential-like names and names that only contain the word', () => {
    const data = { hasSecret: true, password_max_days: 0, secretStorage: 'keychain', keyId: 'k1' }
    expect(createRedactor().scrub(data)).toEqual(data)
  })

  it.each([
    ['a 32-hex key id', hexKey],
    ['a legacy key (org id + 32 hex)', `5e9d9544a1dcd60001d0ed20${hexKey}`],
    ['an upper-case hex key', hexKey.toUpperCase()],
    ['a base64-JSON key', b64('{"org":"5e9d","id":"abc123","h":"murmur64"}')]
  ])('scrubs %s by its shape', (_what, key) => {
    expect(createRedactor().scrubText(`issued ${key}.`)).toBe(`issued ${REDACTED}.`)
  })

  it('keeps Dashboard object ids (24 hex) and UUIDs, which logs need', () => {
    const text = 'request 5e9d9544a1dcd60001d0ed20 op 1b4e28ba-2fa1-11d2-883f-0016d3cca427'
    expect(createRedactor().scrubText(text)).toBe(text)
  })
})

import { describe, expect, it } from 'vitest'
import { generateToken, recordedKeyId, tokenHashAlgo } from './credentials'
import { murmur32Hex, murmur64Hex } from './murmur3'

describe('murmur3 as Tyk hashes keys', () => {
  // Reference vectors of spaolacci/murmur3 (seed 0): Sum32 and the first half of Sum128.
  const vectors: [string, string, string][] = [
    ['', '00000000', '0000000000000000'],
    ['hello', '248bfa47', 'cbd8a7b341bd9b02'],
    ['hello, world', '149bbb7f', '342fac623a5ebc8e'],
    ['19 Jan 2038 at 3:14:07 AM', 'e31e8a70', 'b89e5988b737affc'],
    ['The quick brown fox jumps over the lazy dog.', 'd5c48bfc', 'cd99481f9ee902c9']
  ]
  it.each(vectors)('hashes %j', (input, h32, h64) => {
    expect(murmur32Hex(input)).toBe(h32)
    expect(murmur64Hex(input)).toBe(h64)
  })
})

describe('tokens', () => {
  const org = '5e9d9544a1dcd60001d0ed20'
  const id = 'd47239e128754c0c9148363286b8ed46'

  it('builds the documented base64-JSON form and the legacy org+id form', () => {
    expect(generateToken(org, id, 'base64-json')).toBe(
      Buffer.from(`{"org":"${org}","id":"${id}","h":"murmur64"}`).toString('base64')
    )
    expect(generateToken(org, id, 'legacy')).toBe(org + id)
  })

  it('hashes each form with the algorithm the token names', () => {
    const modern = generateToken(org, id, 'base64-json')
    expect(tokenHashAlgo(modern)).toBe('murmur64')
    expect(recordedKeyId(modern, true)).toBe(murmur64Hex(modern))
    expect(tokenHashAlgo(org + id)).toBe('')
    expect(recordedKeyId(org + id, true)).toBe(murmur32Hex(org + id))
    expect(recordedKeyId(org + id, false)).toBe(org + id)
  })
})

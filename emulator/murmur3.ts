/**
 * MurmurHash3 as Tyk's gateway uses it (spaolacci/murmur3, seed 0) to hash keys: murmur32 for
 * legacy keys, murmur64 (the first half of x64_128) for keys whose JSON names "murmur64". Digests
 * are hex of the big-endian sum, as Go's `hex.EncodeToString(h.Sum(nil))` prints them.
 */

export function murmur32Hex(input: string): string {
  const bytes = Buffer.from(input, 'utf8')
  const c1 = 0xcc9e2d51
  const c2 = 0x1b873593
  let h = 0
  const blocks = bytes.length >> 2
  for (let i = 0; i < blocks; i++) {
    let k = bytes.readUInt32LE(i * 4)
    k = Math.imul(k, c1)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, c2)
    h ^= k
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  const tail = blocks * 4
  const rest = bytes.length & 3
  if (rest > 0) {
    let k = 0
    for (let i = rest - 1; i >= 0; i--) k = (k << 8) | (bytes[tail + i] ?? 0)
    k = Math.imul(k, c1)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, c2)
    h ^= k
  }
  h ^= bytes.length
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0).toString(16).padStart(8, '0')
}

const MASK64 = 0xffffffffffffffffn
const C1 = 0x87c37b91114253d5n
const C2 = 0x4cf5ad432745937fn

function rotl64(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK64
}

function fmix64(input: bigint): bigint {
  let k = input
  k ^= k >> 33n
  k = (k * 0xff51afd7ed558ccdn) & MASK64
  k ^= k >> 33n
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK64
  k ^= k >> 33n
  return k
}

function mixK1(k: bigint): bigint {
  return (rotl64((k * C1) & MASK64, 31n) * C2) & MASK64
}

function mixK2(k: bigint): bigint {
  return (rotl64((k * C2) & MASK64, 33n) * C1) & MASK64
}

export function murmur64Hex(input: string): string {
  const bytes = Buffer.from(input, 'utf8')
  let h1 = 0n
  let h2 = 0n
  const blocks = bytes.length >> 4
  for (let i = 0; i < blocks; i++) {
    h1 ^= mixK1(bytes.readBigUInt64LE(i * 16))
    h1 = (((rotl64(h1, 27n) + h2) & MASK64) * 5n + 0x52dce729n) & MASK64
    h2 ^= mixK2(bytes.readBigUInt64LE(i * 16 + 8))
    h2 = (((rotl64(h2, 31n) + h1) & MASK64) * 5n + 0x38495ab5n) & MASK64
  }
  const tail = blocks * 16
  const rest = bytes.length & 15
  let k1 = 0n
  let k2 = 0n
  for (let i = rest - 1; i >= 8; i--) k2 = (k2 << 8n) | BigInt(bytes[tail + i] ?? 0)
  for (let i = Math.min(rest, 8) - 1; i >= 0; i--) k1 = (k1 << 8n) | BigInt(bytes[tail + i] ?? 0)
  if (rest > 8) h2 ^= mixK2(k2)
  if (rest > 0) h1 ^= mixK1(k1)
  const length = BigInt(bytes.length)
  h1 ^= length
  h2 ^= length
  h1 = (h1 + h2) & MASK64
  h2 = (h2 + h1) & MASK64
  h1 = fmix64(h1)
  h2 = fmix64(h2)
  h1 = (h1 + h2) & MASK64
  return h1.toString(16).padStart(16, '0')
}

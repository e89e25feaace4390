import type { Logger } from '../ports'
import { credentialNamePattern, isCredentialField, mayHoldCredential } from './credential-fields'

export const REDACTED = '[redacted]'

/**
 * How registered values are matched. From `LONG` characters on, a value is scrubbed wherever it
 * occurs, in any case and in every encoding below: long enough not to hit ordinary text. Shorter
 * ones are scrubbed where they stand as a word (raw or URL-encoded, exact case), so a 5-letter
 * secret does not eat every word that contains it. Values under credential-named keys go
 * whatever their length.
 */
const LONG = 8
const MAX_DEPTH = 8
/** A base64 fragment shorter than this matches ordinary text too often to be worth scrubbing. */
const MIN_BASE64_CORE = 8

export interface Redactor {
  /** Remember a secret or issued credential so it is scrubbed from everything logged after. */
  register(value: string | null | undefined): void
  /**
   * A copy of `value` with every registered value, every value under a credential-named key and
   * every key-shaped token replaced by `[redacted]`; object keys are scrubbed too.
   */
  scrub<T>(value: T): T
  /** `scrub` for one string: the Dashboard's error texts, before they reach an error or a log. */
  scrubText(text: string): string
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The base64 characters that depend on `value` alone, at each of the three byte alignments it
 * can have inside a longer base64 text (standard and URL-safe alphabets).
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8')
  const cores: string[] = []
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    const first = Math.ceil((8 * offset) / 6)
    const end = Math.floor((8 * (offset + bytes.length)) / 6)
    const core = encoded.slice(first, end)
    if (core.length < MIN_BASE64_CORE) continue
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return cores
}

/** Forms that a value keeps under case-folding: raw, URL-encoded, JSON-escaped. */
function textForms(value: string): string[] {
  return [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]
}

/** ASCII-only case folding: keeps every index in place, so a match maps back onto the text. */
const foldCase = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/**
 * Long needles, each indexed by one window of `LONG` characters (the one least shared with
 * needles already held: Tyk keys share long prefixes and suffixes). Registering costs one pass
 * over the needle and a scrub one pass over the text, however many values a long session holds.
 */
class NeedleIndex {
  private readonly byWindow = new Map<string, { needle: string; offset: number }[]>()
  private readonly held = new Set<string>()

  constructor(private readonly fold: (text: string) => string) {}

  add(needle: string): void {
    const folded = this.fold(needle)
    if (folded.length < LONG || this.held.has(folded)) return
    this.held.add(folded)
    let offset = 0
    let fewest = Infinity
    for (let at = 0; at + LONG <= folded.length && fewest > 0; at += 1) {
      const shared = this.byWindow.get(folded.slice(at, at + LONG))?.length ?? 0
      if (shared < fewest) [offset, fewest] = [at, shared]
    }
    const window = folded.slice(offset, offset + LONG)
    this.byWindow.set(window, [...(this.byWindow.get(window) ?? []), { needle: folded, offset }])
  }

  /** Every match is found first and overlapping ones merged, so no part of a value survives. */
  replaceAll(text: string): string {
    if (this.byWindow.size === 0 || text.length < LONG) return text
    const folded = this.fold(text)
    const spans: [number, number][] = []
    for (let i = 0; i + LONG <= folded.length; i += 1) {
      for (const { needle, offset } of this.byWindow.get(folded.slice(i, i + LONG)) ?? []) {
        const start = i - offset
        if (start >= 0 && folded.startsWith(needle, start))
          spans.push([start, start + needle.length])
      }
    }
    if (spans.length === 0) return text
    spans.sort((a, b) => a[0] - b[0])
    let out = ''
    let copied = 0
    let current = spans[0]!
    for (const span of [...spans.slice(1), null]) {
      if (span && span[0] <= current[1]) {
        current = [current[0], Math.max(current[1], span[1])]
        continue
      }
      out += `${text.slice(copied, current[0])}${REDACTED}`
      copied = current[1]
      if (span) current = span
    }
    return out + text.slice(copied)
  }
}

/** Short values as whole words, one regular expression (there are few of them). */
function wordPattern(values: Iterable<string>): RegExp | null {
  const unique = [...new Set(values)].filter((value) => value.length > 0)
  if (unique.length === 0) return null
  unique.sort((a, b) => b.length - a.length)
  return new RegExp(`(?<![A-Za-z0-9])(?:${unique.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, 'g')
}

/** `\u0041`-style escapes decoded, so a value escaped that way is found like any other. */
const unicodeEscape = /\\u([0-9a-fA-F]{4})/g
const decodeUnicodeEscapes = (text: string): string =>
  text.includes('\\u')
    ? text.replace(unicodeEscape, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text

/**
 * A credential-named field's value in text: JSON (`"RawKey":"…"`, also JSON-escaped), a query or
 * form (`client_secret=…`) or a header line (`authorization: …`). Prose such as "update the API
 * secret: queued actions resume" is left alone. An auth scheme before the value is kept.
 */
const quote = `\\\\?["']`
const namedValue = new RegExp(
  `((?<![A-Za-z0-9])(?:${quote}${credentialNamePattern}${quote}\\s*:|${credentialNamePattern}\\s*=|(?:proxy-)?authorization\\s*:|(?:set-)?cookie\\s*:|x-api-key\\s*:|x-tyk-authorization\\s*:)\\s*(?:${quote})?(?:(?:Bearer|Basic|Token)\\s+)?)(?!null\\b|true\\b|false\\b|\\[redacted\\])[^\\s"'\\\\&,;}\\]]+`,
  'gi'
)

/**
 * Tyk key shapes: hex of 32 or more characters (key ids and hashes; a legacy key is the 24-hex
 * org id followed by 32 hex), and base64-encoded JSON (`eyJ...`, the current key format and
 * JWTs). 24-hex Dashboard object ids are left alone: logs and errors need request ids.
 */
const keyShaped = /(?<![A-Za-z0-9])[0-9a-fA-F]{32,}(?![A-Za-z0-9])|eyJ[A-Za-z0-9+/_-]{12,}={0,2}/g

/** Holds every secret the core has seen and scrubs them, and anything credential-like, out. */
export function createRedactor(): Redactor {
  const values = new Set<string>()
  // Raw, URL-encoded and JSON-escaped forms match in any case; base64 is case-sensitive.
  const anyCase = new NeedleIndex(foldCase)
  const exactCase = new NeedleIndex((text) => text)
  const short: string[] = []
  let asWord: RegExp | null = null

  const scrubText = (text: string): string => {
    let out = exactCase.replaceAll(anyCase.replaceAll(decodeUnicodeEscapes(text)))
    if (asWord) out = out.replace(asWord, REDACTED)
    return out.replace(namedValue, `$1${REDACTED}`).replace(keyShaped, REDACTED)
  }

  const scrubAny = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return scrubText(value)
    if (value === null || typeof value !== 'object') return value
    if (depth >= MAX_DEPTH) return '[truncated]'
    if (value instanceof Error) {
      return { name: value.name, message: scrubText(value.message) }
    }
    if (Array.isArray(value)) return value.map((item) => scrubAny(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      let name = scrubText(key)
      // Two keys that both were secrets must not overwrite each other.
      for (let n = 2; Object.hasOwn(out, name); n += 1) name = `${scrubText(key)}#${n}`
      out[name] =
        isCredentialField(key) && mayHoldCredential(item) ? REDACTED : scrubAny(item, depth + 1)
    }
    return out
  }

  return {
    register(value) {
      if (!value || values.has(value)) return
      values.add(value)
      if (value.length >= LONG) {
        for (const form of textForms(value)) anyCase.add(form)
        for (const core of base64Cores(value)) exactCase.add(core)
        return
      }
      short.push(value, encodeURIComponent(value))
      asWord = wordPattern(short)
    },
    scrub: <T>(value: T): T => scrubAny(value, 0) as T,
    scrubText
  }
}

/** Wraps a Logger so that nothing registered with `redactor`, nor anything credential-like, reaches it. */
export function createRedactingLogger(inner: Logger, redactor: Redactor): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, data?: Record<string, unknown>): void =>
      inner[level](
        redactor.scrubText(message),
        data === undefined ? undefined : redactor.scrub(data)
      )
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error') }
}

/** Deeper than any Dashboard answer Keygate reads; custom fields nested beyond it are cut. */
export const MAX_JSON_DEPTH = 32

const cutText = `[nested too deep: cut at depth ${MAX_JSON_DEPTH}]`

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null

/** Nesting depth of parsed JSON, measured without recursion; stops counting past `limit`. */
function exceedsDepth(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 0]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number]
    if (!isContainer(value)) continue
    if (depth >= limit) return true
    for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  return false
}

/**
 * Parsed JSON with every object or array deeper than `MAX_JSON_DEPTH` replaced by a short
 * text, so later code (zod, field text, logging, IPC cloning) can never overflow the stack.
 * Returns the value itself when it is shallow enough, which is almost always. Iterative, and
 * keeps `__proto__` keys as plain data.
 */
export function limitJsonDepth(root: unknown): unknown {
  if (!exceedsDepth(root, MAX_JSON_DEPTH)) return root
  const copy = (value: object): object => (Array.isArray(value) ? [] : {})
  const rootCopy = isContainer(root) ? copy(root) : root
  const stack: [object, object, number][] = isContainer(root) ? [[root, rootCopy as object, 0]] : []
  while (stack.length > 0) {
    const [source, target, depth] = stack.pop() as [object, object, number]
    for (const [key, value] of Object.entries(source)) {
      let out: unknown = value
      if (isContainer(value)) {
        if (depth + 1 >= MAX_JSON_DEPTH) out = cutText
        else {
          out = copy(value)
          stack.push([value, out as object, depth + 1])
        }
      }
      Object.defineProperty(target, key, {
        value: out,
        enumerable: true,
        writable: true,
        configurable: true
      })
    }
  }
  return rootCopy
}

/** `--name <number>` from the command line, or `fallback`. */
export function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const raw = at >= 0 ? process.argv[at + 1] : undefined
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got ${raw}`)
  return value
}

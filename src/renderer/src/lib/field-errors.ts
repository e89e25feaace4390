import type { AppError } from '../../../shared/result'

export type FieldErrors<F extends string> = Partial<Record<F, string>>

interface Issue {
  path: readonly PropertyKey[]
  message: string
}

/** Maps zod issues onto form fields: the first issue per field wins; `prefix` skips e.g. `patch`. */
export function fieldErrorsFromIssues<F extends string>(
  issues: readonly Issue[],
  fields: readonly F[],
  prefix: readonly string[] = []
): { fields: FieldErrors<F>; rest: string[] } {
  const found: FieldErrors<F> = {}
  const rest: string[] = []
  for (const issue of issues) {
    const path = issue.path.slice(prefix.length).map(String)
    const field = fields.find((name) => name === path[0])
    if (field && !found[field]) found[field] = issue.message
    else if (!field) rest.push(issue.message)
  }
  return { fields: found, rest }
}

/**
 * Splits a VALIDATION error from main into field errors. AppError carries no field paths, so this
 * reads the two shapes main's validation can produce: "field: message" segments (also dotted,
 * "patch.name: ...") and zod's pretty form ("✖ message\n  → at patch.name").
 */
export function fieldErrorsFromAppError<F extends string>(
  error: AppError,
  fields: readonly F[]
): { fields: FieldErrors<F>; rest: string | null } {
  if (error.code !== 'VALIDATION') return { fields: {}, rest: error.message }
  const issues: Issue[] = []
  for (const match of error.message.matchAll(/✖\s*(.+)\n\s*→ at ([\w.[\]]+)/g)) {
    issues.push({ message: (match[1] ?? '').trim(), path: (match[2] ?? '').split('.') })
  }
  if (issues.length === 0) {
    for (const segment of error.message.split(/;\s*|\n/)) {
      const match = /^\s*(?:[\w-]+:\s*)?((?:\w+\.)*\w+)\s*:\s*(.+)$/.exec(segment)
      if (match)
        issues.push({ path: (match[1] ?? '').split('.'), message: (match[2] ?? '').trim() })
    }
  }
  const found: FieldErrors<F> = {}
  for (const issue of issues) {
    const field = fields.find((name) => issue.path.includes(name))
    if (field && !found[field]) found[field] = issue.message
  }
  return { fields: found, rest: Object.keys(found).length > 0 ? null : error.message }
}

interface Issue {
  path: readonly PropertyKey[]
  message: string
}

/**
 * One line per problem as `field: message` (dotted for nested fields, e.g. `patch.name`), joined
 * by `; `: the shape the renderer maps back onto form fields.
 */
export function describeIssues(issues: readonly Issue[]): string {
  if (issues.length === 0) return 'The request was rejected as invalid.'
  return issues
    .map((issue) => {
      const field = issue.path.map(String).join('.')
      return field ? `${field}: ${issue.message}` : issue.message
    })
    .join('; ')
}

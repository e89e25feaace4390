/** The raw, base64 (both alphabets) and URL-encoded forms a leaked value could take. */
export function leakForms(value: string): string[] {
  return [
    ...new Set([
      value,
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('base64url'),
      encodeURIComponent(value)
    ])
  ]
}

/**
 * Where any form of any of `values` occurs in `places` (name -> everything written there), as
 * "<place>: <first characters of the form>" lines; empty when nothing leaked.
 */
export function findLeaks(places: Record<string, string>, values: string[]): string[] {
  const found: string[] = []
  for (const value of values) {
    for (const form of leakForms(value)) {
      for (const [place, text] of Object.entries(places)) {
        if (text.includes(form)) found.push(`${place}: ${form.slice(0, 8)}…`)
      }
    }
  }
  return found
}

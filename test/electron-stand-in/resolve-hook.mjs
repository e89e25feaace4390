// Node module hook for boot tests: `electron` (and `electron/main`) resolve to the stand-in.
const standIn = new URL('./index.ts', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron/main') {
    // Through the next hooks, so the TypeScript loader (tsx) compiles the stand-in.
    return nextResolve(standIn, context)
  }
  return nextResolve(specifier, context)
}

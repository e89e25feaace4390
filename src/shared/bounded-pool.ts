/**
 * Maps `inputs` through `fn` with at most `limit` calls in flight, starting them in input order;
 * the results keep the input order. A rejection rejects the whole map (calls already started
 * still run to their end).
 */
export async function mapBounded<I, O>(
  inputs: readonly I[],
  limit: number,
  fn: (input: I) => Promise<O>
): Promise<O[]> {
  const results = new Array<O>(inputs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++
      results[index] = await fn(inputs[index] as I)
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), inputs.length) }, worker))
  return results
}

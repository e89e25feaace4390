import { readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const fileSchema = z.object({
  items: z.array(z.object({ opId: z.string(), state: z.string() }).passthrough()).optional()
})

/**
 * The outbox items as the store file holds them right now: what a process killed at this
 * instant leaves behind. Read from disk, not from the core, because only the file survives.
 */
export function itemsOnDisk(dir: string): { opId: string; state: string }[] {
  let raw: string
  try {
    raw = readFileSync(path.join(dir, 'outbox.json'), 'utf8')
  } catch {
    return []
  }
  return fileSchema.parse(JSON.parse(raw)).items ?? []
}

/** The opIds the store file holds as `sending`. */
export function sendingOnDisk(dir: string): Set<string> {
  return new Set(
    itemsOnDisk(dir)
      .filter((i) => i.state === 'sending')
      .map((i) => i.opId)
  )
}

import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { EmulatorData } from './types'

const document = z.record(z.string(), z.unknown())

const issuedKey = z.object({
  requestId: z.string(),
  developerId: z.string(),
  authType: z.string(),
  policies: z.array(z.string()),
  keyId: z.string(),
  response: document,
  issuedAt: z.string(),
  updatedExisting: z.boolean(),
  revoked: z.boolean()
})

const emulatorData = z.object({
  orgId: z.string().min(1),
  policies: z.array(document),
  catalogue: document,
  configuration: document,
  developers: z.array(document),
  requests: z.array(document),
  keys: z.array(issuedKey).default([])
}) satisfies z.ZodType<EmulatorData, unknown>

/** Reads a state file (the GET /__emulator/state format); throws with the file and the bad field. */
export function loadDataFile(path: string): EmulatorData {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(
      `Cannot read emulator data file ${path}: ${error instanceof Error ? error.message : String(error)}`
    )
  }
  const parsed = emulatorData.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(
      `Emulator data file ${path} is not in the state format: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`
    )
  }
  return parsed.data
}

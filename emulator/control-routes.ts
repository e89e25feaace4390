import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { readBody, sendJson } from './http-io'
import { defaultFaults, parseFaultsPatch } from './settings'
import type { EmulatorControl, JsonObject } from './types'

export interface ControlHttpContext {
  control: EmulatorControl
  secret: string
  /** Resolves once the API listener accepts connections again (after `offline` is turned off). */
  whenListening(): Promise<void>
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const insertBody = z.union([
  z.array(z.record(z.string(), z.unknown())),
  z.object({ requests: z.array(z.record(z.string(), z.unknown())) }),
  z.record(z.string(), z.unknown())
])
const generateBody = z.object({ count: z.number().int().min(0).max(1_000_000) })

function parseBody(raw: string): unknown {
  if (raw.trim() === '') return {}
  try {
    return JSON.parse(raw)
  } catch {
    throw new ControlError(400, 'Control request body is not valid JSON')
  }
}

function validate<T>(schema: z.ZodType<T>, raw: string, what: string): T {
  const parsed = schema.safeParse(parseBody(raw))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ControlError(
      400,
      `Invalid ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`
    )
  }
  return parsed.data
}

function insertedDocs(body: z.infer<typeof insertBody>): JsonObject[] {
  if (Array.isArray(body)) return body
  if (Array.isArray(body.requests)) return body.requests as JsonObject[]
  return [body]
}

/**
 * Serves `/__emulator/*` (README, Control API), on the main port and on the always-on control
 * listener. `target.path` is the path after `/__emulator`.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  target: { path: string; query: URLSearchParams },
  ctx: ControlHttpContext,
  viaMainPort: boolean
): Promise<void> {
  const auth = req.headers.authorization
  if (auth !== ctx.secret && auth !== `Bearer ${ctx.secret}`) {
    sendJson(
      res,
      401,
      JSON.stringify({ error: 'Not authorised: send the emulator secret in authorization' })
    )
    return
  }
  try {
    const raw = req.method === 'POST' ? await readBody(req) : ''
    const answer = await route(
      req.method ?? 'GET',
      target.path.replace(/\/+$/, ''),
      target.query,
      raw,
      ctx,
      res,
      viaMainPort
    )
    sendJson(res, 200, JSON.stringify(answer))
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 400
    const message = error instanceof Error ? error.message : String(error)
    sendJson(res, status, JSON.stringify({ error: message }))
  }
}

async function route(
  method: string,
  path: string,
  query: URLSearchParams,
  raw: string,
  ctx: ControlHttpContext,
  res: ServerResponse,
  viaMainPort: boolean
): Promise<unknown> {
  const { control } = ctx
  const key = `${method} ${path}`
  if (key === 'GET /faults') return control.faults()
  if (key === 'POST /faults') return setFaults(parseBody(raw), ctx, res, viaMainPort)
  if (key === 'POST /faults/clear') return setFaults({ ...defaultFaults }, ctx, res, viaMainPort)
  if (key === 'GET /switches') return control.switches()
  if (key === 'POST /switches') {
    control.setSwitches(parseBody(raw) as JsonObject)
    return control.switches()
  }
  if (key === 'POST /reset') {
    control.reset()
    return control.stats()
  }
  if (key === 'POST /requests') {
    return {
      ids: control.insertRequests(insertedDocs(validate(insertBody, raw, 'request documents')))
    }
  }
  if (key === 'GET /requests') {
    const approved = query.get('approved')
    return {
      ids: control.requestIds(approved === null ? {} : { approved: approved === 'true' })
    }
  }
  if (key === 'POST /generate') {
    return { ids: control.generatePending(validate(generateBody, raw, 'generate body').count) }
  }
  if (key === 'GET /stats') return control.stats()
  if (key === 'GET /state') return control.exportState()
  const [, first, second, third] = path.split('/').map((segment) => decodeURIComponent(segment))
  if (method === 'GET' && first === 'requests' && second && !third) {
    const doc = control.getRequest(second)
    if (!doc) throw new ControlError(404, `No key request ${second}`)
    return doc
  }
  if (method === 'GET' && first === 'requests' && second && third === 'keys') {
    return { keys: control.issuedKeys(second) }
  }
  if (method === 'POST' && first === 'rival' && second === 'approve' && third) {
    return control.approveDirectly(third)
  }
  if (method === 'POST' && first === 'rival' && second === 'delete' && third) {
    return { deleted: control.deleteDirectly(third) }
  }
  if (method === 'DELETE' && first === 'policies' && second && !third) {
    return { deleted: control.deletePolicy(second) }
  }
  if (method === 'DELETE' && first === 'developers' && second && !third) {
    return { deleted: control.deleteDeveloper(second) }
  }
  if (method === 'DELETE' && first === 'catalogue' && second && !third) {
    return { deleted: control.deleteCatalogueEntry(second) }
  }
  throw new ControlError(
    404,
    `No control endpoint ${method} /__emulator${path} (see emulator/README.md)`
  )
}

/**
 * Going offline over the main port must answer before the listener and this very socket close,
 * so it is applied once the answer is sent; coming back online answers once connections work.
 */
async function setFaults(
  body: unknown,
  ctx: ControlHttpContext,
  res: ServerResponse,
  viaMainPort: boolean
): Promise<unknown> {
  const patch = parseFaultsPatch(body)
  if (patch.offline === true && viaMainPort) {
    res.once('finish', () => ctx.control.setFaults(patch))
    return { ...ctx.control.faults(), ...patch }
  }
  ctx.control.setFaults(patch)
  if (patch.offline === false) await ctx.whenListening()
  return ctx.control.faults()
}

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseCliArgs } from './cli-args'
import { call } from './test-support'

const root = path.resolve(import.meta.dirname, '..')
const tsx = path.join(root, 'node_modules', '.bin', 'tsx')
const children: ChildProcessWithoutNullStreams[] = []

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(tsx, ['emulator/cli.ts', ...args], { cwd: root })
  children.push(child)
  return child
}

function firstStdoutLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('\n')) resolve(out)
    })
    child.on('exit', (code) => reject(new Error(`CLI exited ${code} before listening: ${err}`)))
  })
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.on('exit', (code) => resolve(code))
  })
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

describe('emulator CLI', () => {
  it('prints exactly "listening on http://127.0.0.1:<port>", serves, and exits 0 on SIGTERM', async () => {
    const child = runCli([
      '--port',
      '0',
      '--secret',
      's3cret',
      '--seed-pending',
      '5',
      '--seed-approved',
      '2',
      '--seed',
      '7',
      '--page-size',
      '2'
    ])
    const line = await firstStdoutLine(child)
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(line)
    expect(match, line).not.toBeNull()
    const url = match?.[1] as string
    const page = await call(url, 'GET', '/api/portal/requests?p=1&approved=false', {
      auth: 's3cret'
    })
    expect(page.json()).toMatchObject({ Pages: 3 })
    expect(page.json<{ Data: unknown[] }>().Data).toHaveLength(2)
    child.kill('SIGTERM')
    expect(await exitCode(child)).toBe(0)
  })

  it('exits 0 on SIGINT too', async () => {
    const child = runCli(['--port', '0', '--secret', 's3cret'])
    await firstStdoutLine(child)
    child.kill('SIGINT')
    expect(await exitCode(child)).toBe(0)
  })

  it('exits 2 with the reason on a bad flag', async () => {
    const child = runCli(['--port', '0'])
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    expect(await exitCode(child)).toBe(2)
    expect(err).toMatch(/--secret is required/)
  })
})

describe('CLI arguments', () => {
  it('maps every flag onto the options, switches in kebab-case', () => {
    const { options } = parseCliArgs([
      '--port=0',
      '--secret',
      'k',
      '--read-only-secret',
      'r',
      '--seed',
      '9',
      '--seed-pending',
      '3',
      '--seed-approved',
      '1',
      '--webhook',
      'http://127.0.0.1:9/h',
      '--control-port',
      '0',
      '--p-zero',
      'first-page',
      '--guard-double-approve',
      'false',
      '--page-size',
      '20'
    ])
    expect(options).toMatchObject({
      port: 0,
      secret: 'k',
      readOnlySecret: 'r',
      seed: 9,
      seedPending: 3,
      seedApproved: 1,
      webhookUrl: 'http://127.0.0.1:9/h',
      controlPort: 0,
      switches: { pZero: 'first-page', guardDoubleApprove: false, pageSize: 20 }
    })
  })

  it('rejects unknown flags and bad switch values with actionable messages', () => {
    expect(() => parseCliArgs(['--secret', 'k', '--colour', 'red'])).toThrow(
      /Unknown flag --colour/
    )
    expect(() => parseCliArgs(['--secret', 'k', '--hash-keys', 'yes'])).toThrow(/true or false/)
    expect(() => parseCliArgs(['--secret', 'k', '--p-zero', 'never'])).toThrow(/pZero/)
    expect(() => parseCliArgs(['--secret', 'k', '--tls-key', 'a.pem'])).toThrow(/go together/)
  })
})

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedactor } from '../core/logging/redactor'
import { createAppLogger } from './app-logger'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempLogs(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-logs-'))
  dirs.push(dir)
  return path.join(dir, 'logs')
}

describe('createAppLogger', () => {
  it('writes JSON lines to logs/keygate.log, readable by the owner only', () => {
    const logs = tempLogs()
    const { logger, file } = createAppLogger(logs, { echo: false, redactor: createRedactor() })
    logger.info('started', { version: '0.1.0' })
    logger.error('failed', { code: 'INTERNAL' })
    expect(file).toBe(path.join(logs, 'keygate.log'))
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toMatchObject([
      { level: 'info', msg: 'started', data: { version: '0.1.0' } },
      { level: 'error', msg: 'failed', data: { code: 'INTERNAL' } }
    ])
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('moves a log past 5 MB aside at start', () => {
    const logs = tempLogs()
    createAppLogger(logs, { echo: false, redactor: createRedactor() }).logger.info('first')
    const file = path.join(logs, 'keygate.log')
    writeFileSync(file, 'x'.repeat(5 * 1024 * 1024 + 1))
    createAppLogger(logs, { echo: false, redactor: createRedactor() }).logger.info('after rotation')
    expect(existsSync(path.join(logs, 'keygate.old.log'))).toBe(true)
    expect(readFileSync(file, 'utf8')).toContain('after rotation')
    expect(statSync(file).size).toBeLessThan(1024)
  })

  it('scrubs what main itself logs: registered secrets and credentials it was never told about', () => {
    const logs = tempLogs()
    const redactor = createRedactor()
    const { logger, file } = createAppLogger(logs, { echo: false, redactor })
    redactor.register('main-registered-secret-77')
    logger.error('Unhandled promise rejection', {
      error: 'Error: portal said {"RawKey":"never-registered-key-1"} for main-registered-secret-77'
    })
    const written = readFileSync(file, 'utf8')
    expect(written).toContain('Unhandled promise rejection')
    expect(written).not.toContain('main-registered-secret-77')
    expect(written).not.toContain('never-registered-key-1')
  })
})

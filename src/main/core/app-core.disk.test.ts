import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { started, stopAll } from './app-core.test-harness'

const dirs: string[] = []
afterEach(async () => {
  await stopAll()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('AppCore over damaged store files', () => {
  it('starts when cache, seen-set, decision log and outbox files are not JSON, keeping each damaged file aside', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-damaged-'))
    dirs.push(dir)
    const names = ['cache', 'seen', 'decisions', 'outbox']
    for (const name of names) writeFileSync(path.join(dir, `${name}.json`), '{"truncated": [')

    const { core } = await started({ dir })
    expect(await core.handlers['outbox:list'](undefined)).toEqual([])
    expect(await core.handlers['profiles:list'](undefined)).toEqual([])
    const files = readdirSync(dir)
    for (const name of names) {
      expect(files.filter((f) => f.startsWith(`${name}.unreadable-`))).toHaveLength(1)
    }
  })
})

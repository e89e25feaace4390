import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { addProfile, firstPoll, started, stopAll, useEmulator } from './app-core.test-harness'

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

describe('AppCore when its data folder is deleted while it runs', () => {
  const portal = useEmulator({ secret: 'disk-test-secret-5e2a', seed: 5, seedPending: 4 })

  it('recreates the folder at the next write, with the profiles and the queued actions it holds', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'keygate-vanished-'))
    dirs.push(parent)
    const dir = path.join(parent, 'data')
    const { core } = await started({ dir })
    const profile = await addProfile(core, portal(), 'Portal A')
    await firstPoll(core, profile.id)
    const [first, second] = (
      await core.handlers['requests:list']({ profileId: profile.id, status: 'pending' })
    ).items
    portal().control.setFaults({ offline: true })
    const approval = await core.handlers['requests:approve']({
      profileId: profile.id,
      requestId: first!.id
    })

    rmSync(dir, { recursive: true })
    expect((await core.handlers['profiles:list'](undefined)).map((p) => p.id)).toEqual([profile.id])
    const decline = await core.handlers['requests:decline']({
      profileId: profile.id,
      requestId: second!.id,
      reason: 'Not a customer'
    })
    await core.handlers['profiles:update']({ id: profile.id, patch: { name: 'Portal A2' } })
    await core.stop()

    const { core: restarted } = await started({ dir })
    expect((await restarted.handlers['profiles:list'](undefined)).map((p) => p.name)).toEqual([
      'Portal A2'
    ])
    expect((await restarted.handlers['outbox:list'](undefined)).map((item) => item.opId)).toEqual([
      approval.opId,
      decline.opId
    ])
  })
})

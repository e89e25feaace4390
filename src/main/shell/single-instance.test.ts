import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { HOME_ENV } from '../../../test/electron-stand-in/app'
import { recorder } from '../../../test/electron-stand-in/recorder'
import { claimSingleInstance } from './single-instance'

// The stand-in keeps Electron's lock in userData: a second claim in this process finds it held
// by a live process (this one) and notifies the first instance over the lock's socket.
vi.mock('electron', () => import('../../../test/electron-stand-in/index'))

const home = mkdtempSync(path.join(os.tmpdir(), 'keygate-single-instance-'))
process.env[HOME_ENV] = home
afterAll(() => rmSync(home, { recursive: true, force: true }))

describe('claimSingleInstance', () => {
  it('takes no lock when e2e tests disable it', () => {
    expect(claimSingleInstance({ KEYGATE_DISABLE_SINGLE_INSTANCE: '1' }, () => {})).toBe(true)
    expect(recorder.calls.map((r) => r.call)).not.toContain('app.requestSingleInstanceLock')
  })

  it('takes the lock once; a second launch is refused and focuses the first', async () => {
    let focused = 0
    expect(claimSingleInstance({ KEYGATE_DISABLE_SINGLE_INSTANCE: '0' }, () => focused++)).toBe(
      true
    )
    expect(claimSingleInstance({}, () => {})).toBe(false)
    await vi.waitFor(() => expect(focused).toBe(1), { timeout: 10_000 })
  })
})

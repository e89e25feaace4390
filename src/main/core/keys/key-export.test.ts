import { describe, expect, it } from 'vitest'
import { createRedactor } from '../logging/redactor'
import { RecordingFileSaver } from '../testing/recording-file-saver'
import { exportKeys } from './key-export'
import { createKeyVault } from './key-vault'

describe('exportKeys', () => {
  it('writes RFC 4180 CSV, defuses formulas in text a developer wrote, and keeps credentials exact', async () => {
    const vault = createKeyVault({ redactor: createRedactor() })
    const label = { profileId: 'p1', requestId: 'r1', catalogueName: 'Pay, "Gold"' }
    const basic = vault.add(
      { ...label, developerEmail: '=HYPERLINK("x")' },
      { kind: 'basic', username: 'dev', password: '+secret' }
    )
    const saver = new RecordingFileSaver()
    const result = await exportKeys({
      vault,
      fileSaver: saver,
      portalName: () => 'Prod',
      keyIds: [basic.id],
      format: 'csv',
      today: '2026-12-04'
    })
    expect(result).toEqual({ saved: true, path: '/home/admin/keys.csv', count: 1 })
    const [, row] = saver.requests[0]!.contents.split('\r\n')
    expect(row).toBe(
      `Prod,r1,"'=HYPERLINK(""x"")","Pay, ""Gold""",${basic.issuedAt},basic,,dev,+secret,,`
    )
  })
})

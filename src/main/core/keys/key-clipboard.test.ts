import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../../shared/result'
import { FakeClipboard } from '../testing/fake-clipboard'
import { FakeClock } from '../testing/fake-clock'
import { RecordingLogger } from '../testing/recording-logger'
import { createKeyClipboard } from './key-clipboard'

function setup(platform: NodeJS.Platform = 'linux') {
  const clipboard = new FakeClipboard()
  const clock = new FakeClock()
  const logger = new RecordingLogger()
  const keys = createKeyClipboard({ clipboard, clock, logger, platform })
  return { clipboard, clock, logger, keys }
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)

describe('key clipboard', () => {
  it('clears the copied key after 45 s, not before', async () => {
    const { clipboard, clock, keys } = setup()
    expect(await keys.copy('raw-key-0a1b')).toEqual({ clearAfterSec: 45 })
    expect(clipboard.text).toBe('raw-key-0a1b')
    await clock.advance(44_999)
    expect(clipboard.text).toBe('raw-key-0a1b')
    await clock.advance(1)
    expect(clipboard.text).toBe('')
    expect(clock.pending()).toBe(0)
  })

  it('keeps what the user copied since', async () => {
    const { clipboard, clock, keys } = setup()
    await keys.copy('raw-key-0a1b')
    clipboard.copiedElsewhere('meeting notes')
    await clock.advance(45_000)
    expect(clipboard.text).toBe('meeting notes')
  })

  it('times each copy from the last one, and clears only the last value', async () => {
    const { clipboard, clock, keys } = setup()
    await keys.copy('client-id-1')
    await clock.advance(30_000)
    await keys.copy('client-secret-2')
    await clock.advance(30_000)
    expect(clipboard.text).toBe('client-secret-2')
    await clock.advance(15_000)
    expect(clipboard.text).toBe('')
    expect(clock.pending()).toBe(0)
  })

  it('clears on quit if the clipboard still holds the key, and leaves other content alone', async () => {
    const first = setup()
    await first.keys.copy('raw-key-0a1b')
    await first.keys.clearNow()
    expect(first.clipboard.text).toBe('')
    expect(first.clock.pending()).toBe(0)

    const second = setup()
    await second.keys.copy('raw-key-0a1b')
    second.clipboard.copiedElsewhere('a URL')
    await second.keys.clearNow()
    expect(second.clipboard.text).toBe('a URL')

    const idle = setup()
    idle.clipboard.copiedElsewhere('untouched')
    await idle.keys.clearNow()
    expect(idle.clipboard.text).toBe('untouched')
  })

  it('marks the copy concealed with each platform’s convention', async () => {
    const windows = setup('win32')
    await windows.keys.copy('k')
    expect([...windows.clipboard.formats.keys()].sort()).toEqual([
      'CanIncludeInClipboardHistory',
      'CanUploadToCloudClipboard',
      'ExcludeClipboardContentFromMonitorProcessing'
    ])
    expect([...windows.clipboard.formats.get('CanIncludeInClipboardHistory')!]).toEqual([
      0, 0, 0, 0
    ])
    expect([...windows.clipboard.formats.get('CanUploadToCloudClipboard')!]).toEqual([0, 0, 0, 0])

    const mac = setup('darwin')
    await mac.keys.copy('k')
    expect([...mac.clipboard.formats.keys()]).toEqual(['org.nspasteboard.ConcealedType'])

    const linux = setup('linux')
    await linux.keys.copy('k')
    expect(text(linux.clipboard.formats.get('x-kde-passwordManagerHint'))).toBe('secret')
  })

  it('answers a failed write as an error the user can act on, without the key in the log', async () => {
    const { clipboard, clock, logger, keys } = setup()
    clipboard.failWrites = true
    const failure = await keys.copy('raw-key-0a1b').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(AppFailure)
    expect((failure as AppFailure).message).toMatch(/try Copy again/)
    expect(clock.pending()).toBe(0)
    expect(JSON.stringify(logger.lines)).not.toContain('raw-key-0a1b')
  })
})

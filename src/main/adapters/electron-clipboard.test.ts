import { describe, expect, it } from 'vitest'
import { concealedFormats } from '../core/keys/concealed-formats'
import { createElectronClipboard, osFormat } from './electron-clipboard'

/** Stands in for Electron's clipboard: one committed list of items, as the OS would hold. */
function fakeElectron() {
  class FakeItem {
    constructor(readonly payloads: Record<string, string | Blob>) {}
  }
  // `selection` is Linux's PRIMARY: what the user last selected, pasted with a middle click.
  const state = { items: [] as FakeItem[], writes: 0, selection: '' }
  const clipboard = {
    async write(items: FakeItem[]) {
      state.writes += 1
      state.items = items
    },
    async readText() {
      const text = state.items[0]?.payloads['text/plain']
      return typeof text === 'string' ? text : ''
    },
    clear(type?: 'clipboard' | 'selection') {
      if (type === 'selection') state.selection = ''
      else state.items = []
    }
  }
  return { electron: { clipboard, ClipboardItem: FakeItem }, state }
}

describe('createElectronClipboard', () => {
  it('writes the text and every concealment format in one item, in one write', async () => {
    const { electron, state } = fakeElectron()
    const clipboard = createElectronClipboard(electron)
    await clipboard.write('raw-key-0a1b', concealedFormats('win32'))
    expect(state.writes).toBe(1)
    expect(state.items).toHaveLength(1)
    const payloads = state.items[0]!.payloads
    expect(Object.keys(payloads).sort()).toEqual(
      [
        'text/plain',
        osFormat('CanIncludeInClipboardHistory'),
        osFormat('CanUploadToCloudClipboard'),
        osFormat('ExcludeClipboardContentFromMonitorProcessing')
      ].sort()
    )
    expect(payloads['text/plain']).toBe('raw-key-0a1b')
    const history = payloads[osFormat('CanIncludeInClipboardHistory')] as Blob
    expect([...new Uint8Array(await history.arrayBuffer())]).toEqual([0, 0, 0, 0])
    expect(osFormat('x-kde-passwordManagerHint')).toBe(
      'electron application/osclipboard;format="x-kde-passwordManagerHint"'
    )
  })

  it('reads back the text and clears', async () => {
    const { electron } = fakeElectron()
    const clipboard = createElectronClipboard(electron)
    await clipboard.write('raw-key-0a1b', concealedFormats('linux'))
    expect(await clipboard.readText()).toBe('raw-key-0a1b')
    await clipboard.clear()
    expect(await clipboard.readText()).toBe('')
  })

  it('on Linux also clears the PRIMARY selection, where a selected key would stay', async () => {
    const { electron, state } = fakeElectron()
    const clipboard = createElectronClipboard(electron, 'linux')
    await clipboard.write('raw-key-0a1b', concealedFormats('linux'))
    state.selection = 'raw-key-0a1b'
    await clipboard.clear()
    expect(await clipboard.readText()).toBe('')
    expect(state.selection).toBe('')
  })

  it('leaves the selection alone where there is none (Windows, macOS)', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const { electron, state } = fakeElectron()
      state.selection = 'unrelated'
      await createElectronClipboard(electron, platform).clear()
      expect(state.selection).toBe('unrelated')
    }
  })
})

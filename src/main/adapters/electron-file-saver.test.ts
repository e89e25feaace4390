import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createElectronFileSaver,
  type SaveDialog,
  type SaveDialogOptions
} from './electron-file-saver'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keygate-save-'))
  dirs.push(dir)
  return dir
}

function fakeDialog(answer: (defaultPath: string) => { canceled: boolean; filePath?: string }) {
  const asked: { window: string | null; options: SaveDialogOptions }[] = []
  const showSaveDialog = async (
    first: string | SaveDialogOptions,
    second?: SaveDialogOptions
  ): Promise<{ canceled: boolean; filePath?: string }> => {
    const [window, options] = typeof first === 'string' ? [first, second!] : [null, first]
    asked.push({ window, options })
    return answer(options.defaultPath)
  }
  const dialog = { showSaveDialog } as SaveDialog<string>
  return { dialog, asked }
}

const request = {
  title: 'Export decisions',
  defaultName: 'keygate-decisions-2026-12-04.csv',
  filters: [{ name: 'CSV', extensions: ['csv'] }],
  contents: 'a,b\r\n1,2\r\n'
}

describe('electron file saver', () => {
  it('asks on the parent window, starting in the start folder, and writes owner-only', async () => {
    const dir = tempDir()
    const { dialog, asked } = fakeDialog((defaultPath) => ({
      canceled: false,
      filePath: defaultPath
    }))
    const saver = createElectronFileSaver({
      dialog,
      parent: () => 'main-window',
      startDir: () => dir
    })
    const result = await saver.save(request)
    const target = path.join(dir, request.defaultName)
    expect(result).toEqual({ saved: true, path: target })
    expect(asked).toEqual([
      {
        window: 'main-window',
        options: { title: request.title, defaultPath: target, filters: request.filters }
      }
    ])
    expect(readFileSync(target, 'utf8')).toBe(request.contents)
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual([request.defaultName])
  })

  it('replaces a file the admin chose to overwrite, leaving it owner-only and no temp file', async () => {
    const dir = tempDir()
    const target = path.join(dir, 'existing.csv')
    writeFileSync(target, 'old contents', { mode: 0o644 })
    const { dialog } = fakeDialog(() => ({ canceled: false, filePath: target }))
    const saver = createElectronFileSaver({ dialog, parent: () => 'w', startDir: () => dir })
    await saver.save(request)
    expect(readFileSync(target, 'utf8')).toBe(request.contents)
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['existing.csv'])
  })

  it('writes nothing when the dialog is cancelled', async () => {
    const dir = tempDir()
    const { dialog } = fakeDialog(() => ({ canceled: true }))
    const saver = createElectronFileSaver({ dialog, parent: () => 'w', startDir: () => dir })
    expect(await saver.save(request)).toEqual({ saved: false })
    expect(readdirSync(dir)).toEqual([])
  })

  it('fails without leaving a temp file when the folder cannot take the file', async () => {
    const dir = tempDir()
    const target = path.join(dir, 'missing-folder', 'x.csv')
    const { dialog } = fakeDialog(() => ({ canceled: false, filePath: target }))
    const saver = createElectronFileSaver({ dialog, parent: () => 'w', startDir: () => dir })
    await expect(saver.save(request)).rejects.toThrow(/ENOENT/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('asks without a parent when no window is open', async () => {
    const dir = tempDir()
    const { dialog, asked } = fakeDialog(() => ({ canceled: true }))
    const saver = createElectronFileSaver({ dialog, parent: () => null, startDir: () => dir })
    await saver.save(request)
    expect(asked[0]?.window).toBeNull()
  })
})

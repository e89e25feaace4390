import type { Clipboard } from '../ports'

/** The system clipboard in memory: what is on it now, with the raw formats written beside it. */
export class FakeClipboard implements Clipboard {
  text = ''
  formats: ReadonlyMap<string, Uint8Array> = new Map()
  /** Every text Keygate wrote, oldest first. */
  readonly written: string[] = []
  /** Set to make the next writes fail, as a locked clipboard does. */
  failWrites = false

  async write(text: string, formats: ReadonlyMap<string, Uint8Array>): Promise<void> {
    if (this.failWrites) throw new Error('clipboard is locked by another application')
    this.text = text
    this.formats = new Map(formats)
    this.written.push(text)
  }

  async readText(): Promise<string> {
    return this.text
  }

  async clear(): Promise<void> {
    this.text = ''
    this.formats = new Map()
  }

  /** Another application (or the user) copies something. */
  copiedElsewhere(text: string): void {
    this.text = text
    this.formats = new Map()
  }
}

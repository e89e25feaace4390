import type { FileSaver, SaveFileRequest } from '../ports'

/** A save dialog stand-in: records what it was asked to save, and "saves" or is cancelled. */
export class RecordingFileSaver implements FileSaver {
  readonly requests: SaveFileRequest[] = []
  /** What the admin does in the dialog. */
  choice: { path: string } | 'cancel' = { path: '/home/admin/keys.csv' }

  async save(request: SaveFileRequest): Promise<{ saved: true; path: string } | { saved: false }> {
    this.requests.push(request)
    return this.choice === 'cancel' ? { saved: false } : { saved: true, path: this.choice.path }
  }
}

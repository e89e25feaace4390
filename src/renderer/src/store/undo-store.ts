import { create } from 'zustand'
import { call } from '../api'
import type { RequestRef } from '../lib/request-rows'
import { toast } from './toast-store'

export interface UndoOffer {
  id: number
  /** "Approving 326 requests", "Declining dev@example.com". */
  text: string
  refs: RequestRef[]
  /** Epoch ms when the decision is sent and Undo no longer applies. */
  until: number
}

interface UndoState {
  offer: UndoOffer | null
  /** Offers Undo of the last decision until `until` (a newer decision replaces the offer). */
  show(text: string, refs: RequestRef[], until: number): void
  /** Cancels the offered decision before it is sent (the Undo button, `z`, Ctrl/Cmd+Z). */
  undo(): Promise<void>
  /** The window of offer `id` ended. */
  expire(id: number): void
}

let nextId = 1

/** The one Undo on offer: the newest decision still inside its undo window. */
export const useUndoStore = create<UndoState>()((set, get) => ({
  offer: null,
  show(text, refs, until) {
    const id = nextId++
    set({ offer: { id, text, refs, until } })
    setTimeout(() => get().expire(id), Math.max(0, until - Date.now()))
  },
  async undo() {
    const offer = get().offer
    if (!offer) return
    set({ offer: null })
    const result = await call((k) => k['requests:undo']({ refs: offer.refs }))
    if (!result.ok) {
      toast('error', result.error.message)
      return
    }
    const { cancelled, refused } = result.value
    if (refused.length === 0) {
      toast(
        'info',
        `Undone: ${cancelled === 1 ? 'the decision was' : `${cancelled} decisions were`} not sent.`
      )
    } else {
      toast(
        'error',
        `Undid ${cancelled} of ${offer.refs.length}; ${refused.length} could not be undone (${refused[0]?.message ?? ''}).`
      )
    }
  },
  expire(id) {
    if (get().offer?.id === id) set({ offer: null })
  }
}))

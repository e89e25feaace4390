import { create } from 'zustand'

export type ToastTone = 'info' | 'success' | 'error'

export interface Toast {
  id: number
  tone: ToastTone
  text: string
}

interface ToastState {
  toasts: Toast[]
  show(tone: ToastTone, text: string): void
  dismiss(id: number): void
}

const LIFETIME_MS: Record<ToastTone, number> = { info: 6000, success: 6000, error: 12000 }
const MAX_TOASTS = 4
let nextId = 1

/** Short-lived messages: action outcomes and errors (always AppError.message, never a stack). */
export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  show(tone, text) {
    const id = nextId++
    set({ toasts: [...get().toasts, { id, tone, text }].slice(-MAX_TOASTS) })
    setTimeout(() => get().dismiss(id), LIFETIME_MS[tone])
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) })
  }
}))

export const toast = (tone: ToastTone, text: string): void =>
  useToastStore.getState().show(tone, text)

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toast, useToastStore } from './toast-store'

const texts = () => useToastStore.getState().toasts.map((shown) => shown.text)

beforeEach(() => {
  vi.useFakeTimers()
  useToastStore.setState({ toasts: [] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('toast store', () => {
  it('keeps the four newest', () => {
    for (const text of ['1', '2', '3', '4', '5']) toast('info', text)
    expect(texts()).toEqual(['2', '3', '4', '5'])
  })

  it('lets errors stay twice as long as other messages', () => {
    toast('success', 'Approved.')
    toast('error', 'Portal unreachable')
    vi.advanceTimersByTime(6_000)
    expect(texts()).toEqual(['Portal unreachable'])
    vi.advanceTimersByTime(6_000)
    expect(texts()).toEqual([])
  })

  it('dismisses one toast by id', () => {
    toast('info', 'a')
    toast('info', 'b')
    const [first] = useToastStore.getState().toasts
    useToastStore.getState().dismiss(first!.id)
    expect(texts()).toEqual(['b'])
  })
})

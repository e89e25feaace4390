import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter'

describe('Emitter', () => {
  it('gives every value to every listener, in the order they subscribed', () => {
    const emitter = new Emitter<number>(() => undefined)
    const heard: string[] = []
    emitter.on((n) => heard.push(`a${n}`))
    emitter.on((n) => heard.push(`b${n}`))
    emitter.emit(1)
    emitter.emit(2)
    expect(heard).toEqual(['a1', 'b1', 'a2', 'b2'])
  })

  it('reports a listener that throws and still reaches the ones after it', () => {
    const failures: Array<{ error: unknown; value: string }> = []
    const emitter = new Emitter<string>((error, value) => failures.push({ error, value }))
    const heard: string[] = []
    const broken = new Error('listener broke')
    emitter.on(() => {
      throw broken
    })
    emitter.on((value) => heard.push(value))
    emitter.emit('hello')
    expect(heard).toEqual(['hello'])
    expect(failures).toEqual([{ error: broken, value: 'hello' }])
  })

  it('stops calling a listener once unsubscribed, leaving the others', () => {
    const emitter = new Emitter<number>(() => undefined)
    const heard: string[] = []
    const offA = emitter.on((n) => heard.push(`a${n}`))
    emitter.on((n) => heard.push(`b${n}`))
    emitter.emit(1)
    offA()
    emitter.emit(2)
    expect(heard).toEqual(['a1', 'b1', 'b2'])
  })

  it('adds one listener once however often it subscribes', () => {
    const emitter = new Emitter<number>(() => undefined)
    let calls = 0
    const listener = (): void => {
      calls += 1
    }
    emitter.on(listener)
    emitter.on(listener)
    emitter.emit(1)
    expect(calls).toBe(1)
  })
})

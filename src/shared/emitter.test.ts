import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter'

describe('Emitter', () => {
  it('calls every listener with the arguments, in subscription order', () => {
    const heard: string[] = []
    const emitter = new Emitter<[string, number]>(() => undefined)
    emitter.subscribe((a, b) => heard.push(`first ${a} ${b}`))
    emitter.subscribe((a, b) => heard.push(`second ${a} ${b}`))
    emitter.emit('x', 1)
    expect(heard).toEqual(['first x 1', 'second x 1'])
  })

  it('isolates and reports a throwing listener', () => {
    const reported: unknown[] = []
    const heard: number[] = []
    const emitter = new Emitter<[number]>((thrown) => reported.push(thrown))
    emitter.subscribe(() => {
      throw new Error('boom')
    })
    emitter.subscribe((n) => heard.push(n))
    emitter.emit(7)
    expect(heard).toEqual([7])
    expect(reported).toEqual([new Error('boom')])
  })

  it('stops calling a listener once unsubscribed, even during an emit', () => {
    const heard: string[] = []
    const emitter = new Emitter<[]>(() => undefined)
    let stopSecond = (): void => undefined
    emitter.subscribe(() => {
      heard.push('first')
      stopSecond()
    })
    stopSecond = emitter.subscribe(() => heard.push('second'))
    expect(emitter.size).toBe(2)
    emitter.emit()
    emitter.emit()
    expect(heard).toEqual(['first', 'second', 'first'])
    expect(emitter.size).toBe(1)
  })
})

import { describe, expect, it } from 'vitest'
import { inOrder, moveTo } from './profile-order'

const items = (...ids: string[]) => ids.map((id) => ({ id }))
const ids = (list: { id: string }[]) => list.map((item) => item.id)

describe('portal order', () => {
  it('orders known ids as saved and keeps new ones after, as they came', () => {
    expect(ids(inOrder(items('a', 'b', 'c', 'd'), ['c', 'a']))).toEqual(['c', 'a', 'b', 'd'])
    expect(ids(inOrder(items('a', 'b'), ['gone', 'b']))).toEqual(['b', 'a'])
    expect(ids(inOrder(items('a', 'b'), []))).toEqual(['a', 'b'])
  })

  it('moves one id to an index, clamped at both ends', () => {
    expect(moveTo(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b'])
    expect(moveTo(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c'])
    expect(moveTo(['a', 'b', 'c'], 'a', 9)).toEqual(['b', 'c', 'a'])
    expect(moveTo(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c'])
    expect(moveTo(['a', 'b'], 'x', 0)).toEqual(['a', 'b'])
  })
})

import { describe, expect, it } from 'vitest'
import { describeIssues } from './validation-message'

describe('describeIssues', () => {
  it('gives one `field: message` per problem, nested fields dotted', () => {
    expect(
      describeIssues([
        { path: ['patch', 'name'], message: 'Give the profile a name' },
        { path: [], message: 'Expected an object' }
      ])
    ).toBe('patch.name: Give the profile a name; Expected an object')
  })

  it('still says something when zod reported no issue', () => {
    expect(describeIssues([])).toBe('The request was rejected as invalid.')
  })
})

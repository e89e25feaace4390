import { describe, expect, it } from 'vitest'
import { invokeChannels } from '../../../shared/ipc'
import { appHandlers } from './app'
import { decisionHandlers } from './decisions'
import { keyHandlers } from './keys'
import { outboxHandlers } from './outbox'
import { profileHandlers } from './profiles'
import { requestHandlers } from './requests'
import { settingsHandlers } from './settings'

/** Every domain file of handlers/; a new one joins this list and `createAppCore`'s spreads. */
const domains = {
  app: appHandlers,
  profiles: profileHandlers,
  requests: requestHandlers,
  keys: keyHandlers,
  outbox: outboxHandlers,
  decisions: decisionHandlers,
  settings: settingsHandlers
}

describe('handlers by domain', () => {
  // The spreads in createAppCore would let a later domain silently replace an earlier one's
  // handler; the type check there only sees that every channel has one.
  it('answer every channel of the contract, each from exactly one domain', () => {
    const owners = new Map<string, string[]>()
    for (const [domain, create] of Object.entries(domains)) {
      // Building the handlers touches no service; the deps are only used when a call comes in.
      for (const channel of Object.keys(create({} as never))) {
        owners.set(channel, [...(owners.get(channel) ?? []), domain])
      }
    }
    expect([...owners].filter(([, answeredBy]) => answeredBy.length > 1)).toEqual([])
    expect([...owners.keys()].sort()).toEqual([...invokeChannels].sort())
  })
})

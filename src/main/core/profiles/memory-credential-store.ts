import type { CredentialStore } from '../ports'

/**
 * Secrets held in this process's memory only: the explicit "session-only" choice for machines
 * without a keychain. Everything is gone when the app quits; nothing is ever written to disk.
 */
export function createMemoryCredentialStore(): CredentialStore {
  const secrets = new Map<string, string>()
  return {
    status: async () => ({ available: true, message: null }),
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => {
      secrets.set(account, secret)
    },
    delete: async (account) => secrets.delete(account)
  }
}

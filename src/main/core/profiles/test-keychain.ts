/**
 * For tests only: whether the real OS keychain can be exercised here. It needs a D-Bus session
 * bus with an unlocked Secret Service, which CI provides through dbus-run-session.
 */
export const keychainTestEnv = {
  available: Boolean(process.env.DBUS_SESSION_BUS_ADDRESS),
  required: process.env.KEYGATE_REQUIRE_KEYCHAIN === '1',
  skipReason:
    'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): run under `dbus-run-session` with an ' +
    'unlocked gnome-keyring to test the real keychain'
}

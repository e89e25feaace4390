import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveAppAsset } from './protocol-guard'

const root = path.resolve('/srv/keygate/out/renderer')

describe('resolveAppAsset', () => {
  it('serves index.html for the root', () => {
    expect(resolveAppAsset(root, 'app://keygate/')).toBe(path.join(root, 'index.html'))
    expect(resolveAppAsset(root, 'app://keygate')).toBe(path.join(root, 'index.html'))
  })

  it('maps paths under the root, ignoring query and fragment', () => {
    expect(resolveAppAsset(root, 'app://keygate/assets/index-1a2b.js?v=1#top')).toBe(
      path.join(root, 'assets', 'index-1a2b.js')
    )
    expect(resolveAppAsset(root, 'app://keygate/assets/my%20font.woff2')).toBe(
      path.join(root, 'assets', 'my font.woff2')
    )
  })

  it.each([
    ['app://keygate/../main/index.js', ['main', 'index.js']],
    ['app://keygate/%2e%2e/%2e%2e/etc/passwd', ['etc', 'passwd']],
    ['app://keygate//etc/passwd', ['etc', 'passwd']],
    ['app://keygate/%2e%2e%2frenderer%2fx', ['x']]
  ])('keeps %j under the root: the URL parser collapses dot segments', (url, parts) => {
    expect(resolveAppAsset(root, url)).toBe(path.join(root, ...parts))
  })

  it.each([
    'app://keygate/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://keygate/%2e%2e%2fpreload%2findex.cjs',
    // A sibling folder whose name starts with the root's: a bare prefix check would let it through.
    'app://keygate/..%2Frenderer-old%2Fx',
    'app://keygate/..%2Frenderer',
    'app://keygate/..%5c..%5cwindows%5cwin.ini',
    'app://keygate/index.html%00.png',
    'app://keygate/%E0%A4%A'
  ])('refuses %j outright', (url) => {
    expect(resolveAppAsset(root, url)).toBeNull()
  })

  it.each([
    'app://evil/index.html',
    'https://keygate/index.html',
    'file:///srv/keygate/out/renderer/index.html',
    'nonsense'
  ])('refuses %j, which is not the app protocol', (url) =>
    expect(resolveAppAsset(root, url)).toBeNull()
  )
})

// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import type { RequestDetail } from '../../../shared/domain'
import type { Result } from '../../../shared/result'
import { installFakeKeygate, type FakeKeygate } from '../lib/testing/fake-keygate'
import { testKeyRequest } from '../../../shared/testing/key-request'
import { useDetailStore } from './detail-store'

const detail = (id: string): RequestDetail => ({ ...testKeyRequest(id), raw: { _id: id } })
const ref = (requestId: string) => ({ profileId: 'prod', requestId })

let keygate: FakeKeygate

beforeEach(() => {
  keygate = installFakeKeygate()
  useDetailStore.getState().clear()
})

describe('detail store', () => {
  it('loads the selected request in full, and says why when it cannot', async () => {
    keygate.answer('requests:get', (args) => ({
      ok: true,
      value: detail((args as { requestId: string }).requestId)
    }))
    await useDetailStore.getState().load(ref('r1'))
    expect(useDetailStore.getState()).toMatchObject({
      phase: 'ready',
      detail: { raw: { _id: 'r1' } }
    })

    keygate.fail('requests:get', 'Portal unreachable')
    await useDetailStore.getState().load(ref('r2'))
    expect(useDetailStore.getState()).toMatchObject({
      phase: 'error',
      detail: null,
      error: { message: 'Portal unreachable' }
    })
  })

  it('keeps the answer for the request selected last, whatever order answers arrive in', async () => {
    const answers: ((result: Result<RequestDetail>) => void)[] = []
    keygate.answer('requests:get', () => new Promise((resolve) => answers.push(resolve)))
    const first = useDetailStore.getState().load(ref('r1'))
    const second = useDetailStore.getState().load(ref('r2'))
    answers[1]?.({ ok: true, value: detail('r2') })
    await second
    answers[0]?.({ ok: true, value: detail('r1') })
    await first
    expect(useDetailStore.getState().detail?.id).toBe('r2')

    const late = useDetailStore.getState().load(ref('r3'))
    useDetailStore.getState().clear()
    answers[2]?.({ ok: true, value: detail('r3') })
    await late
    expect(useDetailStore.getState()).toMatchObject({ key: null, phase: 'idle', detail: null })
  })
})

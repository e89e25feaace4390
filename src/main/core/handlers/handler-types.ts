import type { InvokeChannel, InvokeHandlers, PushChannel, PushEvents } from '../../../shared/ipc'

/**
 * The handlers of one domain's channels: each `handlers/<domain>.ts` answers one of these, and
 * `createAppCore` spreads them into `AppCore.handlers` (docs/architecture.md#handlers).
 */
export type HandlersFor<C extends InvokeChannel> = Pick<InvokeHandlers, C>

/** Sends one push event to everyone subscribed through `AppCore.onPush`. */
export type Push = <E extends PushChannel>(event: E, payload: PushEvents[E]) => void

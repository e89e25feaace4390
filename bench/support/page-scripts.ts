/**
 * Code that runs inside the page, as source strings: the bench compiles for Node (no DOM
 * types), and Playwright evaluates strings as they are.
 */

export interface TimedEntry {
  startTime: number
  duration: number
}

/** User-timing entries (marks and measures) with this name. */
export const entries = (name: string): string =>
  `performance.getEntriesByName(${JSON.stringify(name)}).map((e) => ({ startTime: e.startTime, duration: e.duration }))`

export const clearTimings = `performance.clearMarks(); performance.clearMeasures(); true`

/** The list's geometry: whether it scrolls, how many rows exist in the DOM, the set size. */
export const listState = `(() => {
  const list = document.querySelector('[data-testid="request-list"]')
  if (!list) return null
  const first = list.querySelector('[role="option"]')
  return {
    scrollHeight: list.scrollHeight,
    clientHeight: list.clientHeight,
    rowsInDom: list.querySelectorAll('[role="option"]').length,
    setSize: first ? Number(first.getAttribute('aria-setsize')) : 0
  }
})()`

/**
 * Records, per input event on the search box, the time from the keystroke (event timeStamp) to
 * the task after the next frame: what the admin waits for to see the list change.
 */
export const recordInputToFrame = `(() => {
  globalThis.__benchInputToFrame = []
  document.addEventListener('input', (event) => {
    const start = event.timeStamp
    requestAnimationFrame(() => setTimeout(() => globalThis.__benchInputToFrame.push(performance.now() - start), 0))
  }, true)
  return true
})()`

export const inputToFrame = `globalThis.__benchInputToFrame.slice()`

/** Matches shown now: the set size of the list, or 0 when it shows "no match". */
export const shownCount = `(() => {
  const first = document.querySelector('[data-testid="request-list"] [role="option"]')
  return first ? Number(first.getAttribute('aria-setsize')) : 0
})()`

/**
 * Scrolls the list by `stepPx` every animation frame, from the top, for `frames` frames (or to
 * the bottom), and answers the frame-to-frame intervals in ms.
 */
export const scrollFrames = (stepPx: number, frames: number): string => `new Promise((resolve) => {
  const list = document.querySelector('[data-testid="request-list"]')
  if (!list) { resolve(null); return }
  list.scrollTop = 0
  const deltas = []
  let last = 0
  let count = 0
  const tick = (now) => {
    if (last) deltas.push(now - last)
    last = now
    const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 1
    if (count >= ${frames} || atEnd) {
      resolve({ deltas, scrolledPx: list.scrollTop, rowsInDom: list.querySelectorAll('[role="option"]').length })
      return
    }
    count += 1
    list.scrollTop += ${stepPx}
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(() => requestAnimationFrame(tick))
})`

/** Frame intervals with nothing happening, to know the page's own frame cadence. */
export const idleFrames = (frames: number): string => `new Promise((resolve) => {
  const deltas = []
  let last = 0
  const tick = (now) => {
    if (last) deltas.push(now - last)
    last = now
    if (deltas.length >= ${frames}) resolve(deltas)
    else requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})`

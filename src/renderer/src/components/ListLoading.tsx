/** A list's first load: a spinner and what is being loaded. */
export function ListLoading({ what }: { what: string }) {
  return (
    <div className="list-state" role="status">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  )
}

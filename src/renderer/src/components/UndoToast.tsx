import { useEffect, useState } from 'react'
import { useUndoStore, type UndoOffer } from '../store/undo-store'

function Countdown({ offer }: { offer: UndoOffer }) {
  const undo = useUndoStore((state) => state.undo)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [])
  const left = Math.max(0, Math.ceil((offer.until - now) / 1000))
  return (
    <div className="toast toast-undo" role="status" data-testid="undo-toast">
      <span>{`${offer.text}: sending in ${left} s`}</span>
      <button type="button" className="button small" onClick={() => void undo()}>
        Undo <kbd>z</kbd>
      </button>
    </div>
  )
}

/** The decision waiting out its undo window, with a countdown and Undo (also `z`, Ctrl/Cmd+Z). */
export function UndoToast() {
  const offer = useUndoStore((state) => state.offer)
  // Keyed by offer: each one counts down from its own start.
  return offer ? <Countdown key={offer.id} offer={offer} /> : null
}

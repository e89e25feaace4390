import { forwardRef, useEffect, useState } from 'react'

interface CopyButtonProps {
  /** What is copied, for the accessible name: "Copy API key". */
  what: string
  /** Copies through main; resolves false when it failed (the caller says why). */
  copy(): Promise<boolean>
}

export const CopyButton = forwardRef<HTMLButtonElement, CopyButtonProps>(function CopyButton(
  { what, copy },
  ref
) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (status === 'idle') return
    const timer = setTimeout(() => setStatus('idle'), 2500)
    return () => clearTimeout(timer)
  }, [status])
  return (
    <button
      ref={ref}
      type="button"
      className="button"
      aria-label={`Copy ${what}`}
      onClick={() => {
        void copy().then((copied) => setStatus(copied ? 'copied' : 'failed'))
      }}
    >
      {status === 'copied' ? 'Copied' : status === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  )
})

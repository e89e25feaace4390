import { useEffect, useState } from 'react'

interface CopyButtonProps {
  value: string
  /** What is copied, for the accessible name: "Copy API key". */
  what: string
}

export function CopyButton({ value, what }: CopyButtonProps) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (status === 'idle') return
    const timer = setTimeout(() => setStatus('idle'), 2500)
    return () => clearTimeout(timer)
  }, [status])
  return (
    <button
      type="button"
      className="button"
      aria-label={`Copy ${what}`}
      onClick={() => {
        navigator.clipboard.writeText(value).then(
          () => setStatus('copied'),
          () => setStatus('failed')
        )
      }}
    >
      {status === 'copied'
        ? 'Copied'
        : status === 'failed'
          ? 'Copy failed: select and copy'
          : 'Copy'}
    </button>
  )
}

/** A Windows DWORD 0: "no" for the clipboard-history and cloud-clipboard opt-in formats. */
const dwordZero = new Uint8Array(4)
/** For formats whose presence is the signal; some clipboards drop an empty payload. */
const present = new Uint8Array([1])

/**
 * The raw clipboard formats that tell clipboard managers and clipboard history on `platform` to
 * leave a copied secret alone: Windows' history and cloud-sync exclusions, macOS's
 * nspasteboard.org concealed type, and KDE's password-manager hint (which other Linux
 * clipboard managers honour too).
 */
export function concealedFormats(platform: NodeJS.Platform): ReadonlyMap<string, Uint8Array> {
  switch (platform) {
    case 'win32':
      return new Map([
        ['ExcludeClipboardContentFromMonitorProcessing', present],
        ['CanIncludeInClipboardHistory', dwordZero],
        ['CanUploadToCloudClipboard', dwordZero]
      ])
    case 'darwin':
      return new Map([['org.nspasteboard.ConcealedType', present]])
    default:
      return new Map([['x-kde-passwordManagerHint', new TextEncoder().encode('secret')]])
  }
}

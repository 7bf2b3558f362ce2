/**
 * A copy of `text` that shares no memory with the string it came from. A value read from a line can be a
 * slice of the reader's whole chunk of text (up to 1 MiB), which a slice keeps alive for as long as it is
 * kept: anything kept beyond its line (a shared value, a count's key, a problem's message) is copied once.
 * UTF-16 round-trips every code unit, lone surrogates included.
 */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

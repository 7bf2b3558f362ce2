/**
 * The only way the page makes elements: a tag, attributes from our own code, and text set with
 * `textContent`. Log values never reach `innerHTML`, an attribute that runs code, or a style.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An SVG element with attributes from our own code (numbers and fixed words). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | number>> = {},
): SVGElementTagNameMap[K] {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/** `12,345`. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `2024-07-02 10:15:03.250Z`, or `(no time)`. */
export function utc(ms: number, precision: 'ms' | 's' | 'min' = 'ms'): string {
  if (!Number.isFinite(ms)) return '(no time)';
  const iso = new Date(ms).toISOString().replace('T', ' ');
  if (precision === 'min') return `${iso.slice(0, 16)}Z`;
  if (precision === 's') return `${iso.slice(0, 19)}Z`;
  return iso;
}

/**
 * Text of ours that may hold inline `code` spans and **bold**: rendered as text nodes and `<code>`/`<strong>`
 * elements, each with textContent. Used only for our wording; log values are always plain text.
 */
export function inlineText(parent: HTMLElement, text: string): void {
  const parts = text.split(/(`[^`]*`|\*\*[^*]+\*\*)/);
  for (const part of parts) {
    if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) parent.append(el('code', {}, part.slice(1, -1)));
    else if (part.startsWith('**') && part.endsWith('**') && part.length >= 4) parent.append(el('strong', {}, part.slice(2, -2)));
    else if (part !== '') parent.append(document.createTextNode(part));
  }
}

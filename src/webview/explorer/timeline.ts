import { TIMELINE_KINDS, TIMELINE_KIND_LABELS, type ExplorerSummary } from '../../core/explore/types';
import { el, svg, thousands, utc } from './dom';

const HEIGHT = 120;
const AXIS = 18;

/**
 * The timeline: one stacked bar per bucket, drawn as SVG (a hundred-odd rectangles: a chart library would
 * add more to the package than this file). Dragging across it picks a time range; `onRange` receives it.
 * From the keyboard: Left and Right (Home, End) move between bars, with Shift they widen the selection,
 * Enter filters on the selected bars and Escape clears the range; each move is read out through `status`.
 */
export class TimelineView {
  private summary: ExplorerSummary | undefined;
  private drag: { x0: number; band: SVGRectElement } | undefined;
  /** The keyboard's bar, and the other end of its selection (bucket indexes). */
  private cursor: number | undefined;
  private anchor: number | undefined;

  constructor(
    private readonly host: HTMLElement,
    legend: HTMLElement,
    private readonly status: HTMLElement,
    private readonly onRange: (from: number, to: number) => void,
  ) {
    TIMELINE_KINDS.forEach((k) => {
      const item = el('span', { class: 'legend-item' });
      item.append(el('span', { class: `swatch kind-${k}`, 'aria-hidden': 'true' }), document.createTextNode(TIMELINE_KIND_LABELS[k]));
      legend.append(item);
    });
    new ResizeObserver(() => this.draw()).observe(host);
    host.addEventListener('keydown', (e) => this.key(e));
  }

  show(summary: ExplorerSummary): void {
    this.summary = summary;
    this.cursor = undefined;
    this.anchor = undefined;
    this.draw();
  }

  private draw(): void {
    const s = this.summary;
    this.host.replaceChildren();
    if (s === undefined) return;
    const t = s.timeline;
    const width = Math.max(200, this.host.clientWidth);
    const root = svg('svg', { width, height: HEIGHT + AXIS, class: 'timeline-svg', 'aria-hidden': 'true' });
    const n = TIMELINE_KINDS.length;
    let max = 0;
    for (let b = 0; b < t.buckets; b++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += t.counts[b * n + k];
      if (sum > max) max = sum;
    }
    const bw = t.buckets > 0 ? width / t.buckets : width;
    for (let b = 0; b < t.buckets; b++) {
      let y = HEIGHT;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const c = t.counts[b * n + k];
        if (c === 0) continue;
        sum += c;
        const h = Math.max(1, (c / max) * (HEIGHT - 4));
        y -= h;
        root.append(svg('rect', { x: b * bw + 0.5, y, width: Math.max(1, bw - 1), height: h, class: `bar kind-${TIMELINE_KINDS[k]}` }));
      }
      if (sum > 0) {
        // A full-height hit area with the bucket's figures as its tooltip.
        const hit = svg('rect', { x: b * bw, y: 0, width: bw, height: HEIGHT, class: 'bar-hit' });
        const title = svg('title');
        const start = t.start + b * t.bucketMs;
        title.textContent = `${utc(start, 's')}: ${thousands(sum)} entries\n${TIMELINE_KINDS.map(
          (k, i) => [k, t.counts[b * n + i]] as const,
        )
          .filter(([, c]) => c > 0)
          .map(([k, c]) => `${TIMELINE_KIND_LABELS[k]}: ${thousands(c)}`)
          .join('\n')}`;
        hit.append(title);
        root.append(hit);
      }
    }
    if (this.cursor !== undefined) {
      const lo = Math.min(this.cursor, this.anchor ?? this.cursor);
      const hi = Math.max(this.cursor, this.anchor ?? this.cursor);
      if (hi > lo) root.append(svg('rect', { x: lo * bw, y: 0, width: (hi - lo + 1) * bw, height: HEIGHT, class: 'brush' }));
      root.append(svg('rect', { x: this.cursor * bw + 1, y: 1, width: Math.max(1, bw - 2), height: HEIGHT - 2, class: 'bar-cursor' }));
    }
    root.append(svg('line', { x1: 0, x2: width, y1: HEIGHT + 0.5, y2: HEIGHT + 0.5, class: 'axis' }));
    const ticks = Math.min(6, Math.max(2, Math.floor(width / 180)));
    const end = t.start + t.buckets * t.bucketMs;
    for (let i = 0; i <= ticks; i++) {
      const x = (i / ticks) * width;
      const label = svg('text', {
        x: Math.min(Math.max(x, 2), width - 2),
        y: HEIGHT + 13,
        class: 'tick',
        'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle',
      });
      label.textContent = utc(t.start + (i / ticks) * (end - t.start), t.bucketMs >= 60000 ? 'min' : 's');
      root.append(label);
    }
    root.addEventListener('pointerdown', (e) => this.down(e, root));
    this.host.append(root);
    const dated = s.matched - t.undated;
    this.host.setAttribute(
      'aria-label',
      t.buckets === 0
        ? 'Timeline: no dated entries'
        : `Timeline from ${utc(t.start, 's')} to ${utc(end, 's')}, ${thousands(dated)} dated entries in ${t.buckets} bars. Drag across it, or use the arrow keys (Shift to widen) and Enter, to filter by time; Escape clears the time range.`,
    );
  }

  private timeAt(x: number): number {
    const t = (this.summary as ExplorerSummary).timeline;
    const width = Math.max(200, this.host.clientWidth);
    return t.start + (Math.min(Math.max(x, 0), width) / width) * t.buckets * t.bucketMs;
  }

  private down(e: PointerEvent, root: SVGSVGElement): void {
    if (this.summary === undefined || this.summary.timeline.buckets === 0) return;
    const x0 = e.offsetX;
    const band = svg('rect', { x: x0, y: 0, width: 0, height: HEIGHT, class: 'brush' });
    root.append(band);
    this.drag = { x0, band };
    root.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent): void => {
      const d = this.drag;
      if (d === undefined) return;
      d.band.setAttribute('x', String(Math.min(d.x0, m.offsetX)));
      d.band.setAttribute('width', String(Math.abs(m.offsetX - d.x0)));
    };
    const up = (u: PointerEvent): void => {
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerup', up);
      const d = this.drag;
      this.drag = undefined;
      if (d === undefined) return;
      const a = this.timeAt(Math.min(d.x0, u.offsetX));
      const b = this.timeAt(Math.max(d.x0, u.offsetX));
      if (Math.abs(u.offsetX - d.x0) < 3) {
        // A click picks its bucket.
        const t = (this.summary as ExplorerSummary).timeline;
        const start = t.start + Math.floor((a - t.start) / t.bucketMs) * t.bucketMs;
        this.onRange(start, start + t.bucketMs);
      } else this.onRange(Math.floor(a), Math.ceil(b));
    };
    root.addEventListener('pointermove', move);
    root.addEventListener('pointerup', up);
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      this.onRange(NaN, NaN);
      return;
    }
    const t = this.summary?.timeline;
    if (t === undefined || t.buckets === 0) return;
    const last = t.buckets - 1;
    const at = this.cursor;
    let next: number;
    switch (e.key) {
      case 'ArrowLeft':
        next = at === undefined ? last : Math.max(0, at - 1);
        break;
      case 'ArrowRight':
        next = at === undefined ? 0 : Math.min(last, at + 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case 'Enter':
      case ' ': {
        e.preventDefault();
        if (at === undefined) return;
        const lo = Math.min(at, this.anchor ?? at);
        const hi = Math.max(at, this.anchor ?? at);
        this.onRange(t.start + lo * t.bucketMs, t.start + (hi + 1) * t.bucketMs);
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    this.anchor = e.shiftKey ? (this.anchor ?? at ?? next) : undefined;
    this.cursor = next;
    this.draw();
    this.announce();
  }

  /** Reads out the keyboard's bar (its figures) or the selected bars (their range and total). */
  private announce(): void {
    const t = (this.summary as ExplorerSummary).timeline;
    const n = TIMELINE_KINDS.length;
    const at = this.cursor as number;
    const lo = Math.min(at, this.anchor ?? at);
    const hi = Math.max(at, this.anchor ?? at);
    const sum = (b: number): number => {
      let s = 0;
      for (let k = 0; k < n; k++) s += t.counts[b * n + k];
      return s;
    };
    if (hi > lo) {
      let total = 0;
      for (let b = lo; b <= hi; b++) total += sum(b);
      this.status.textContent = `${hi - lo + 1} bars selected, ${utc(t.start + lo * t.bucketMs, 's')} to ${utc(t.start + (hi + 1) * t.bucketMs, 's')}: ${thousands(total)} entries. Enter filters on them.`;
      return;
    }
    const kinds = TIMELINE_KINDS.map((k, i) => [k, t.counts[at * n + i]] as const)
      .filter(([, c]) => c > 0)
      .map(([k, c]) => `${TIMELINE_KIND_LABELS[k]} ${thousands(c)}`);
    this.status.textContent = `Bar ${at + 1} of ${t.buckets}, ${utc(t.start + at * t.bucketMs, 's')}: ${thousands(sum(at))} entries${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}. Enter filters on it.`;
  }
}

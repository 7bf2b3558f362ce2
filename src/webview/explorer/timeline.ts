import { TIMELINE_KINDS, TIMELINE_KIND_LABELS, type ExplorerSummary } from '../../core/explore/types';
import { el, svg, thousands, utc } from './dom';

const HEIGHT = 120;
const AXIS = 18;

/**
 * The timeline: one stacked bar per bucket, drawn as SVG (a hundred-odd rectangles: a chart library would
 * add more to the package than this file). Dragging across it picks a time range; `onRange` receives it.
 */
export class TimelineView {
  private summary: ExplorerSummary | undefined;
  private drag: { x0: number; band: SVGRectElement } | undefined;

  constructor(
    private readonly host: HTMLElement,
    legend: HTMLElement,
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
        : `Timeline from ${utc(t.start, 's')} to ${utc(end, 's')}, ${thousands(dated)} dated entries in ${t.buckets} bars. Drag across it to filter by time; Escape clears the time range.`,
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
    if (e.key === 'Escape') this.onRange(NaN, NaN);
  }
}

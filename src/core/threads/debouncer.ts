/** The timer functions a {@link PerKeyDebouncer} uses; tests hand in their own clock. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A key's work that is waiting for its timer, or running. */
interface Pending {
  timer?: unknown;
  run?: { stopped: boolean };
}

/**
 * The timing policy of work done per key (a document's URI): work a key asks for again while it waits runs
 * once, `delayMs` after the last ask (edits while the user types), and newer work for a key stops the
 * older that still runs (a big document's problems or groups are made over many turns of the event loop,
 * and an edit on the way makes them stale).
 */
export class PerKeyDebouncer<K = string> {
  private readonly pending = new Map<K, Pending>();

  constructor(
    private readonly delayMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Calls `action` `delayMs` from now, unless the key is scheduled, run or cancelled again first. */
  schedule(key: K, action: () => void): void {
    this.cancel(key);
    const entry: Pending = {};
    entry.timer = this.timers.setTimeout(() => {
      if (this.pending.get(key) === entry) this.pending.delete(key);
      action();
    }, this.delayMs);
    this.pending.set(key, entry);
  }

  /**
   * Runs `work` for the key now, in place of what is waiting or running for it. `stopped` turns true when
   * newer work for the key starts, the key is cancelled or the debouncer disposed: work that takes more
   * than one turn returns a promise and checks it between steps.
   */
  run(key: K, work: (stopped: () => boolean) => Promise<unknown> | void): void {
    this.cancel(key);
    const run = { stopped: false };
    const entry: Pending = { run };
    // Set before the work starts, so that newer work it starts at once replaces it.
    this.pending.set(key, entry);
    const settled = (): void => {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    };
    let result: Promise<unknown> | void;
    try {
      result = work(() => run.stopped);
    } catch (err) {
      settled();
      throw err;
    }
    if (result instanceof Promise) void result.then(settled, settled);
    else settled();
  }

  /** Drops the key's waiting timer and stops its running work. */
  cancel(key: K): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    if (entry.timer !== undefined) this.timers.clearTimeout(entry.timer);
    if (entry.run) entry.run.stopped = true;
  }

  /** Keys with work waiting or running. */
  get size(): number {
    return this.pending.size;
  }

  /** Cancels every key. */
  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}

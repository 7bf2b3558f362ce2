/**
 * How long the queued work (the editor's parsing, grouping, publishing, counting) may hold the thread in
 * one turn of the event loop, all tasks together; the host's own work and garbage collection come on top.
 */
const TURN_MS = 8;

interface Task {
  steps: Iterator<unknown>;
  stopped: () => boolean;
  settle: (finished: boolean) => void;
}

/**
 * Runs long work a step at a time, every task in turn, for at most {@link TURN_MS} per turn of the event
 * loop in all. Each task is an iterator whose `next()` does one short step. Tasks that each sliced their own
 * work would add up in one turn (the parse, the SNI grouping, the problems and the status counts of the
 * same document all start together); one queue keeps the sum bounded.
 */
export class SliceQueue {
  private readonly tasks: Task[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private next = 0;
  private running = false;

  /** @param turnMs how long the steps may run in one turn, all tasks together ({@link TURN_MS} unless a test says otherwise). */
  constructor(private readonly turnMs = TURN_MS) {}

  /**
   * Runs `steps` to the end, unless `stopped` says so before a step. Resolves with true when the last step
   * ran, false when the task stopped. With `now`, the first slice runs at once when no other task waits
   * (a small document is then done before this returns).
   */
  run(steps: Iterator<unknown>, stopped: () => boolean = () => false, now = false): Promise<boolean> {
    return new Promise<boolean>((settle) => {
      this.tasks.push({ steps, stopped, settle });
      if (now && !this.running && this.tasks.length === 1) this.turn();
      else this.schedule();
    });
  }

  /** Tasks not yet finished or stopped. */
  get pending(): number {
    return this.tasks.length;
  }

  dispose(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    for (const t of this.tasks.splice(0)) t.settle(false);
  }

  private schedule(): void {
    if (!this.scheduled && this.tasks.length > 0) this.scheduled = setImmediate(() => this.turn());
  }

  private turn(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const end = performance.now() + this.turnMs;
    this.running = true;
    while (this.tasks.length > 0 && performance.now() < end) {
      if (this.next >= this.tasks.length) this.next = 0;
      const task = this.tasks[this.next];
      let finished: boolean | undefined;
      try {
        if (task.stopped()) finished = false;
        else if (task.steps.next().done) finished = true;
      } catch (err) {
        console.error(err);
        finished = false;
      }
      if (finished === undefined) this.next++;
      else {
        this.tasks.splice(this.next, 1);
        task.settle(finished);
      }
    }
    this.running = false;
    this.schedule();
  }
}

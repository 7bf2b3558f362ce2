/**
 * Runs a computation written as steps (a generator that yields between pieces of work, so that the editor
 * can spread it over turns of the event loop) to its end at once, and returns its result: one body of code
 * serves both the stepped and the all-at-once caller.
 */
export function runToEnd<T>(steps: Iterator<unknown, T, undefined>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Change listeners of a core object (the SNI model, the source registry): every listener runs on every
 * change, even when one before it throws; the first failure is thrown once they all have run, so the
 * caller hears of it and no listener misses a change the object has already made.
 */
export class Listeners<T> {
  private readonly list: Array<(change: T) => void> = [];

  /** Adds `listener`; returns a function that removes it. */
  add(listener: (change: T) => void): () => void {
    this.list.push(listener);
    return () => {
      const i = this.list.indexOf(listener);
      if (i >= 0) this.list.splice(i, 1);
    };
  }

  /** Calls every listener with `change` (those added or removed meanwhile: as they were when it started). */
  fire(change: T): void {
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.list]) {
      try {
        listener(change);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }
}

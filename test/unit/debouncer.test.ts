import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PerKeyDebouncer, type Timers } from '../../src/core/threads/debouncer';

/** A clock that moves only when told to. */
class FakeClock implements Timers {
  now = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time on by `ms`, firing the timers that come due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = end;
  }

  get waiting(): number {
    return this.timers.size;
  }
}

/** Work that runs until told to finish, checking `stopped` as a stepped task does. */
function longWork(): { work: (stopped: () => boolean) => Promise<void>; stopped: () => boolean; finish: () => void } {
  let check: () => boolean = () => false;
  let finish: () => void = () => undefined;
  return {
    work: (stopped) => {
      check = stopped;
      return new Promise<void>((resolve) => (finish = resolve));
    },
    stopped: () => check(),
    finish: () => finish(),
  };
}

describe('PerKeyDebouncer', () => {
  it('runs a key once, the delay after the last time it was scheduled', () => {
    const clock = new FakeClock();
    const debouncer = new PerKeyDebouncer(150, clock);
    const calls: string[] = [];
    debouncer.schedule('a', () => calls.push('a1'));
    clock.advance(100);
    debouncer.schedule('a', () => calls.push('a2'));
    clock.advance(149);
    assert.deepEqual(calls, []);
    clock.advance(1);
    assert.deepEqual(calls, ['a2']);
    assert.equal(debouncer.size, 0);
    assert.equal(clock.waiting, 0);
  });

  it('keeps keys apart', () => {
    const clock = new FakeClock();
    const debouncer = new PerKeyDebouncer(100, clock);
    const calls: string[] = [];
    debouncer.schedule('a', () => calls.push('a'));
    clock.advance(50);
    debouncer.schedule('b', () => calls.push('b'));
    clock.advance(50);
    assert.deepEqual(calls, ['a']);
    clock.advance(50);
    assert.deepEqual(calls, ['a', 'b']);
  });

  it('drops a waiting timer when the key runs now or is cancelled', () => {
    const clock = new FakeClock();
    const debouncer = new PerKeyDebouncer(100, clock);
    const calls: string[] = [];
    debouncer.schedule('a', () => calls.push('late a'));
    debouncer.run('a', () => void calls.push('a now'));
    debouncer.schedule('b', () => calls.push('late b'));
    debouncer.cancel('b');
    clock.advance(1000);
    assert.deepEqual(calls, ['a now']);
    assert.equal(clock.waiting, 0);
    assert.equal(debouncer.size, 0);
  });

  it('stops running work when newer work for the key starts, or the key is cancelled', async () => {
    const debouncer = new PerKeyDebouncer(100, new FakeClock());
    const first = longWork();
    debouncer.run('a', first.work);
    const other = longWork();
    debouncer.run('b', other.work);
    assert.equal(first.stopped(), false);
    assert.equal(debouncer.size, 2);
    const second = longWork();
    debouncer.run('a', second.work);
    assert.equal(first.stopped(), true);
    assert.equal(second.stopped(), false);
    assert.equal(other.stopped(), false);
    debouncer.cancel('a');
    assert.equal(second.stopped(), true);
    assert.equal(other.stopped(), false);
    other.finish();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(debouncer.size, 0);
  });

  it('forgets work when it ends, and an older run ending leaves the newer in place', async () => {
    const debouncer = new PerKeyDebouncer(100, new FakeClock());
    const first = longWork();
    debouncer.run('a', first.work);
    const second = longWork();
    debouncer.run('a', second.work);
    first.finish();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(debouncer.size, 1);
    debouncer.cancel('a');
    assert.equal(second.stopped(), true);
    second.finish();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(debouncer.size, 0);
  });

  it('a scheduled action that runs work for its key keeps that work', () => {
    const clock = new FakeClock();
    const debouncer = new PerKeyDebouncer(100, clock);
    const work = longWork();
    debouncer.schedule('a', () => debouncer.run('a', work.work));
    clock.advance(100);
    assert.equal(work.stopped(), false);
    assert.equal(debouncer.size, 1);
    debouncer.schedule('a', () => undefined);
    assert.equal(work.stopped(), true, 'a new edit stops the work of the last');
  });

  it('forgets work that threw, and lets the error through', () => {
    const debouncer = new PerKeyDebouncer(100, new FakeClock());
    assert.throws(() =>
      debouncer.run('a', () => {
        throw new Error('broken');
      }),
    );
    assert.equal(debouncer.size, 0);
  });

  it('cancels everything when disposed', () => {
    const clock = new FakeClock();
    const debouncer = new PerKeyDebouncer(100, clock);
    const calls: string[] = [];
    debouncer.schedule('a', () => calls.push('a'));
    const work = longWork();
    debouncer.run('b', work.work);
    debouncer.dispose();
    clock.advance(1000);
    assert.deepEqual(calls, []);
    assert.equal(work.stopped(), true);
    assert.equal(debouncer.size, 0);
  });

  it('works on real timers', async () => {
    const debouncer = new PerKeyDebouncer(5);
    const calls: number[] = [];
    await new Promise<void>((resolve) => {
      debouncer.schedule('a', () => calls.push(1));
      debouncer.schedule('a', () => {
        calls.push(2);
        resolve();
      });
    });
    assert.deepEqual(calls, [2]);
  });
});

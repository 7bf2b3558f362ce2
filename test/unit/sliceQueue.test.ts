import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SliceQueue } from '../../src/core/threads/sliceQueue';

/** `count` steps that each write `name` and their index to `log`. */
function* steps(name: string, count: number, log: string[]): Generator<void, void, undefined> {
  for (let i = 0; i < count; i++) {
    log.push(`${name}${i}`);
    if (i + 1 < count) yield;
  }
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Stands for a step of real work.
  }
}

describe('SliceQueue', () => {
  it('runs a task to its end on later turns and resolves true', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    const done = queue.run(steps('a', 3, log));
    assert.deepEqual(log, []);
    assert.equal(queue.pending, 1);
    assert.equal(await done, true);
    assert.deepEqual(log, ['a0', 'a1', 'a2']);
    assert.equal(queue.pending, 0);
  });

  it('with `now`, runs the first slice before returning when nothing else waits', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    const done = queue.run(steps('a', 3, log), undefined, true);
    assert.deepEqual(log, ['a0', 'a1', 'a2']);
    assert.equal(await done, true);
    const waiting = queue.run(steps('b', 2, log));
    const second = queue.run(steps('c', 2, log), undefined, true);
    assert.deepEqual(log, ['a0', 'a1', 'a2'], 'another task waits: no slice at once');
    assert.deepEqual(await Promise.all([waiting, second]), [true, true]);
  });

  it('takes the tasks in turn, a step each', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    await Promise.all([queue.run(steps('a', 3, log)), queue.run(steps('b', 2, log)), queue.run(steps('c', 1, log))]);
    assert.deepEqual(log, ['a0', 'b0', 'c0', 'a1', 'b1', 'a2']);
  });

  it('stops a task when `stopped` says so before a step, and resolves false', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    let stop = false;
    const done = queue.run(
      (function* () {
        log.push('0');
        stop = true;
        yield;
        log.push('1');
      })(),
      () => stop,
    );
    assert.equal(await done, false);
    assert.deepEqual(log, ['0']);
  });

  it('stops a task whose step throws and goes on with the others', async (t) => {
    const errors = t.mock.method(console, 'error', () => undefined);
    const queue = new SliceQueue();
    const log: string[] = [];
    const failing = queue.run(
      (function* () {
        yield;
        throw new Error('broken step');
      })(),
    );
    const other = queue.run(steps('b', 3, log));
    assert.deepEqual(await Promise.all([failing, other]), [false, true]);
    assert.deepEqual(log, ['b0', 'b1', 'b2']);
    assert.equal(errors.mock.callCount(), 1);
  });

  it('settles every waiting task with false when disposed', async () => {
    const queue = new SliceQueue();
    const log: string[] = [];
    const a = queue.run(steps('a', 3, log));
    const b = queue.run(steps('b', 3, log));
    queue.dispose();
    assert.deepEqual(await Promise.all([a, b]), [false, false]);
    assert.deepEqual(log, []);
    assert.equal(queue.pending, 0);
  });

  it('spreads steps over turns of the event loop, about `turnMs` of them per turn', async () => {
    const queue = new SliceQueue(6);
    // A turn counter that other work on the event loop advances between the queue's turns.
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turns: number[] = [];
    const done = queue.run(
      (function* () {
        for (let i = 0; i < 12; i++) {
          busy(2);
          turns.push(turn);
          yield;
        }
      })(),
    );
    assert.equal(await done, true);
    ticking = false;
    const perTurn = new Map<number, number>();
    for (const n of turns) perTurn.set(n, (perTurn.get(n) ?? 0) + 1);
    assert.ok(perTurn.size >= 3, `12 steps of 2 ms in ${perTurn.size} turns`);
    // A turn starts a step while under budget: 3 steps reach 6 ms, a 4th may start just before.
    for (const count of perTurn.values()) assert.ok(count <= 4, `${count} steps in one turn`);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Listeners } from '../../src/core/listeners';

describe('Listeners', () => {
  it('calls every listener in order, and stops calling one once it is removed', () => {
    const listeners = new Listeners<number>();
    const seen: string[] = [];
    const removeA = listeners.add((n) => seen.push(`a${n}`));
    listeners.add((n) => seen.push(`b${n}`));
    listeners.fire(1);
    removeA();
    removeA();
    listeners.fire(2);
    assert.deepEqual(seen, ['a1', 'b1', 'b2']);
  });

  it('runs them all when some throw, then throws the first failure', () => {
    const listeners = new Listeners<number>();
    const seen: number[] = [];
    listeners.add(() => {
      throw new Error('first');
    });
    listeners.add((n) => seen.push(n));
    listeners.add(() => {
      throw new Error('second');
    });
    listeners.add((n) => seen.push(n * 10));
    assert.throws(() => listeners.fire(3), /first/);
    assert.deepEqual(seen, [3, 30]);
  });

  it('a listener added or removed while they run takes effect from the next change', () => {
    const listeners = new Listeners<number>();
    const seen: string[] = [];
    let removeB: () => void = () => undefined;
    listeners.add((n) => {
      seen.push(`a${n}`);
      removeB();
      listeners.add((m) => seen.push(`c${m}`));
    });
    removeB = listeners.add((n) => seen.push(`b${n}`));
    listeners.fire(1);
    assert.deepEqual(seen, ['a1', 'b1']);
  });
});

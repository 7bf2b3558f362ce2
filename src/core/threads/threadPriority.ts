import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread alone (Linux keeps a nice value per thread; a
 * thread's id is the last part of `/proc/thread-self`). For a worker doing background work next to a
 * thread that must answer quickly: when both want a CPU, the other one gets it first. Does nothing where
 * this cannot be done (other systems, or a nice value the process may not take).
 * @returns whether the priority was changed
 */
export function lowerThreadPriority(niceness: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}

/**
 * The timeline's bucket size, chosen from the time range shown: the smallest "round" step (one second to one
 * day) that keeps the bars at most {@link MAX_BUCKETS}. Buckets start at multiples of the step since the epoch,
 * so they are aligned to UTC seconds, minutes, hours and midnights.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The steps, smallest first. Past a day the timeline simply holds more bars. */
export const BUCKET_STEPS: readonly number[] = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
];

/** How many bars the timeline aims to stay under. */
export const MAX_BUCKETS = 120;

/** The bucket layout for times from `first` to `last` (both included). */
export function bucketLayout(first: number, last: number): { start: number; bucketMs: number; buckets: number } {
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) return { start: 0, bucketMs: SECOND, buckets: 0 };
  let bucketMs = BUCKET_STEPS[BUCKET_STEPS.length - 1];
  for (const step of BUCKET_STEPS) {
    if (Math.floor(last / step) - Math.floor(first / step) + 1 <= MAX_BUCKETS) {
      bucketMs = step;
      break;
    }
  }
  const start = Math.floor(first / bucketMs) * bucketMs;
  return { start, bucketMs, buckets: Math.floor((last - start) / bucketMs) + 1 };
}

/** A bucket size in words: `1 s`, `5 min`, `3 h`, `1 day`. */
export function bucketLabel(ms: number): string {
  if (ms >= DAY) return ms === DAY ? '1 day' : `${ms / DAY} days`;
  if (ms >= HOUR) return `${ms / HOUR} h`;
  if (ms >= MINUTE) return `${ms / MINUTE} min`;
  return `${ms / SECOND} s`;
}

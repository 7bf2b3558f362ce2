/** A small seeded PRNG (mulberry32) for tests that need reproducible random input: numbers in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-like lines with enough variety that gzip cannot shrink them to nothing, the same for the same seed. */
export function sampleLogLines(count: number, seed: number): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const sni = Math.floor(next() * 1e9).toString(36) + '.example.com';
    out.push(
      `{"firewall_name":"fw","event_timestamp":${1719943304 + i},"event":{"sni":"${sni}","src_port":"${Math.floor(next() * 65536)}","n":${i},"é":"😀"}}`,
    );
  }
  return out;
}

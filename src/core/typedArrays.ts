/** A typed array of `length` items of the same type as `a`, starting with those of `a`: `a` grown. */
export function widened<A extends Int32Array | Uint8Array | Uint16Array | Float64Array>(a: A, length: number): A {
  const out = new (a.constructor as new (length: number) => A)(length);
  out.set(a);
  return out;
}

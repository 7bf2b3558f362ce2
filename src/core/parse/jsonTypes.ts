/** A JSON value's type in words for messages and hovers: "a string", "an array", "null", "absent". */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'undefined':
      return 'absent';
    default:
      return 'an object';
  }
}

/**
 * A deep copy of a JSON value. Stored objects are plain JSON, and for them a JSON round trip is
 * several times faster than structuredClone in V8, which matters when thousands of pods change.
 */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

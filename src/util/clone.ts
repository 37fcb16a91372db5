/**
 * A deep copy of a JSON value, with JSON's rules: object keys whose value is undefined are
 * dropped, undefined array items become null, values with toJSON (Dates) go through it. Stored
 * objects are plain JSON; for them a direct walk is about ten times faster than a JSON round
 * trip or structuredClone in V8, which matters when thousands of pods change in one command.
 */
export function clone<T>(value: T): T {
  return value === undefined ? value : (copy(value) as T);
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out[i] = item === undefined || typeof item === 'function' ? null : copy(item);
    }
    return out;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function') continue;
    out[key] = copy(item);
  }
  return out;
}

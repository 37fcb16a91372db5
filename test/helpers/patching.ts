/** Shared by the patch tests: building expected objects and catching patch errors. */
import { PatchError } from '../../src/patch/patch-meta.ts';

export type Json = Record<string, unknown>;

/** What `kubectl patch --local` printed for a patch: the fields that changed, or the error after `error: `. */
export type Outcome = { changed: Record<string, unknown> } | { error: string };

/** The Service the patch tests patch (the one given to `kubectl patch --local` for their expectations). */
export const SERVICE: Json = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] },
  spec: {
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
    ],
    selector: { app: 'x' },
    externalIPs: ['1.1.1.1', '2.2.2.2'],
    type: 'ClusterIP',
  },
};

/** A copy of `obj` with values set (or, for undefined, removed) at dotted paths. */
export function withChanges(obj: Json, changes: Record<string, unknown>): Json {
  const out = structuredClone(obj);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    let target = out;
    for (const k of keys.slice(0, -1)) target = target[k] as Json;
    if (value === undefined) delete target[keys[keys.length - 1]];
    else target[keys[keys.length - 1]] = value;
  }
  return out;
}

/** The PatchError `run` throws (anything else fails the test). */
export function errorOf(run: () => unknown): PatchError {
  try {
    run();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

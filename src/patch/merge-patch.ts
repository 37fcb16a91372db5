/**
 * JSON merge patch (RFC 7386) as Kubernetes applies and computes it, with
 * gopkg.in/evanphx/json-patch.v4 (MergePatch, CreateMergePatch), used by the apiserver for
 * `PATCH application/merge-patch+json` and by `kubectl patch --type merge`:
 * objects merge key by key, `null` deletes a key, any other value (lists included) replaces.
 * Like the library, nulls are also dropped from the inside of a value that is added or that
 * replaces a non-object (but not from inside lists' null elements themselves).
 */
import { failureStatus, PatchError } from './patch-meta.ts';

type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** pruneNulls: drop null-valued keys of every object inside `v` (array elements that are null stay). */
function pruneNulls(v: unknown): void {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const item of v) if (item !== null) pruneNulls(item);
  }
}

/** mergeDocs (mergeMerge false): merge `patch` into `doc` in place. */
function mergeDocs(doc: JsonMap, patch: JsonMap): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = Object.hasOwn(doc, k) ? doc[k] : null;
    if (cur === null) {
      pruneNulls(v);
      doc[k] = v;
    } else if (!isMap(cur)) {
      pruneNulls(v);
      doc[k] = v;
    } else if (!isMap(v)) {
      doc[k] = v;
    } else {
      mergeDocs(cur, v);
    }
  }
}

/** The word encoding/json uses for a JSON value in "cannot unmarshal X into ...". */
function jsonKind(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/**
 * Apply a merge patch to a copy of `original` (an object). Throws PatchError for a patch that
 * is not an object: kubectl --local answers `Invalid JSON Patch` for scalars and null, and fails
 * to decode the array an array patch produces; the apiserver refuses anything but an object
 * when it decodes the body, except null, which the library rejects.
 */
export function jsonMergePatch(original: unknown, patch: unknown): unknown {
  if (!isMap(patch)) {
    if (patch === null) {
      throw new PatchError('Invalid JSON Patch', failureStatus('BadRequest', 400, 'Invalid JSON Patch'));
    }
    const local = Array.isArray(patch)
      ? 'json: cannot unmarshal array into Go value of type unstructured.detector'
      : 'Invalid JSON Patch';
    throw new PatchError(
      local,
      failureStatus(
        'BadRequest',
        400,
        `error decoding patch: json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`,
      ),
    );
  }
  const p = structuredClone(patch);
  if (!isMap(original)) {
    // Not a document: the result is the patch itself, without its nulls.
    pruneNulls(p);
    return p;
  }
  const doc = structuredClone(original);
  mergeDocs(doc, p);
  return doc;
}

/**
 * CreateMergePatch for two objects: the merge patch that turns `original` into `modified`
 * (added and changed keys, changed values whole, removed keys as null), keys sorted as
 * json.Marshal writes them.
 */
export function createJsonMergePatch(original: unknown, modified: unknown): unknown {
  if (!isMap(original) || !isMap(modified)) throw new PatchError('Invalid JSON Document');
  return diff(original, modified);
}

function diff(a: JsonMap, b: JsonMap): JsonMap {
  const into: JsonMap = {};
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!Object.hasOwn(b, key)) {
      into[key] = null;
      continue;
    }
    const bv = b[key];
    if (!Object.hasOwn(a, key)) {
      into[key] = sortedKeys(bv);
      continue;
    }
    const av = a[key];
    if (isMap(av) && isMap(bv)) {
      const d = diff(av, bv);
      if (Object.keys(d).length > 0) into[key] = d;
    } else if (!jsonEqual(av, bv)) {
      into[key] = sortedKeys(bv);
    }
  }
  return into;
}

/** A copy with object keys sorted at every level, as json.Marshal writes maps. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]);
  return out;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

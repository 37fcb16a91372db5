/**
 * Strategic merge patch, as apimachinery implements it
 * (kubernetes/kubernetes:staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go, v1.32):
 * applying a patch (what the API server does for `PATCH application/strategic-merge-patch+json`
 * and `kubectl patch --local`), and computing two-way and three-way patches (what kubectl apply
 * sends: last-applied configuration, file and live object).
 *
 * The port keeps upstream's algorithm step by step, quirks included, because the results are
 * observable: list order after a merge (down to the effect of Go slices sharing their array),
 * `$setElementOrder` lists appearing in computed patches, which keys a directive removes. Go
 * visits map keys in random order; in the rare cases where that changes the outcome (a list and
 * its `$deleteFromPrimitiveList` in one patch, which of two errors is reported) keys are visited
 * here in insertion order, which gives one of kubectl's possible answers.
 *
 * Inputs are never mutated: every entry point deep-copies its arguments and the algorithm then
 * works in place on the copies, as the Go code does on its decoded maps.
 */
import { stringify } from 'yaml';
import { failureStatus, fieldMeta, PatchError, schemaFor, type GroupKind, type TypeSchema } from './patch-meta.ts';

export type { GroupKind } from './patch-meta.ts';

type JsonMap = Record<string, unknown>;

const DIRECTIVE = '$patch';
const DELETE = 'delete';
const REPLACE = 'replace';
const MERGE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// The mergepatch sentinel errors (staging/src/k8s.io/apimachinery/pkg/util/mergepatch/errors.go).
const ERR_BAD_JSON_DOC = 'invalid JSON document';
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_UNSUPPORTED = 'strategic merge patch format is not supported';

const BAD_REQUEST_ERRORS = new Set([
  ERR_BAD_JSON_DOC,
  ERR_BAD_PRIMITIVE_LIST,
  ERR_BAD_RETAIN_KEYS,
  ERR_BAD_SET_ELEMENT_ORDER,
  ERR_UNSUPPORTED,
]);

/**
 * Raise a strategic-merge failure with the status the apiserver turns it into
 * (interpretStrategicMergePatchError in staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
 * the format sentinels are BadRequest, lists of lists a generic 422, anything else a plain error
 * that reaches the client as a 500 with the error text.
 */
function fail(message: string): never {
  let status;
  if (BAD_REQUEST_ERRORS.has(message)) status = failureStatus('BadRequest', 400, message);
  else if (message === ERR_NO_LIST_OF_LISTS) {
    status = failureStatus('Invalid', 422, 'the server rejected our request due to an error in our request');
  } else status = failureStatus('', 500, message);
  throw new PatchError(message, status);
}

// ------------------------------------------------------------------ Go value helpers

/** The dynamic Go type of a decoded JSON value (k8s.io/apimachinery/pkg/util/json keeps integers as int64). */
function goType(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return 'map';
}

function isMap(v: unknown): v is JsonMap {
  return goType(v) === 'map';
}

/** reflect.TypeOf(v).String(), as printed by mergepatch.ErrBadArgType. */
function goTypeName(v: unknown): string {
  switch (goType(v)) {
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'nil':
      return '%!s(<nil>)';
    default:
      return goType(v);
  }
}

/** A float64 as fmt's %v prints it: shortest digits, exponent form outside [1e-4, 1e6). */
function goFloat(f: number): string {
  const [mantissa, exponent] = f.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return String(f);
}

/** fmt's %v of a decoded JSON value: `map[k:v ...]` with sorted keys, `[a b]`, `<nil>`. */
function goSprint(v: unknown): string {
  switch (goType(v)) {
    case 'nil':
      return '<nil>';
    case 'slice':
      return `[${(v as unknown[]).map(goSprint).join(' ')}]`;
    case 'map': {
      const m = v as JsonMap;
      return `map[${Object.keys(m)
        .sort()
        .map((k) => `${k}:${goSprint(m[k])}`)
        .join(' ')}]`;
    }
    case 'float64':
      return goFloat(v as number);
    default:
      return String(v);
  }
}

/** Go's == on two interface values holding JSON scalars. */
function goEqual(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (goType(a) !== goType(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    return a.length === bl.length && a.every((x, i) => deepEqual(x, bl[i]));
  }
  if (isMap(a)) {
    const bm = b as JsonMap;
    const keys = Object.keys(a);
    return keys.length === Object.keys(bm).length && keys.every((k) => Object.hasOwn(bm, k) && deepEqual(a[k], bm[k]));
  }
  return goEqual(a, b);
}

function deepCopy<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** mergepatch.ToYAMLOrError: sigs.k8s.io/yaml text (sorted keys, list items at their key's indentation). */
function toYaml(v: unknown): string {
  return stringify(sortedKeys(v), { indentSeq: false });
}

/** A copy with object keys sorted at every level: the key order of Go's json.Marshal. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys(v[k]);
  return out;
}

const errNoMergeKey = (m: JsonMap, key: string) => fail(`map: ${goSprint(m)} does not contain declared merge key: ${key}`);
const errBadArgType = (expected: string, actual: unknown) =>
  fail(`expected a ${expected}, but received a ${goTypeName(actual)}`);
const errBadPatchType = (directive: unknown, m: JsonMap) => {
  // %s of a non-string prints as %!s(type=value)
  const text = typeof directive === 'string' ? directive : `%!s(${goTypeName(directive)}=${goSprint(directive)})`;
  return fail(`unknown patch type: ${text} in map: ${goSprint(m)}`);
};
const MAP_TYPE = 'map[string]interface {}';
const SLICE_TYPE = '[]interface {}';

// ------------------------------------------------------------------ Go's sort package

/**
 * sort.Sort. Go's pdqsort is an insertion sort up to 12 elements, and every list strategicpatch
 * sorts with it has a less function that answers true for equal keys, so equal elements come out
 * reversed. Beyond 12 elements pdqsort could order equal keys differently; nothing else differs.
 */
function goSort<T>(list: T[], less: (a: T, b: T) => boolean): T[] {
  for (let i = 1; i < list.length; i++) {
    for (let j = i; j > 0 && less(list[j], list[j - 1]); j--) [list[j], list[j - 1]] = [list[j - 1], list[j]];
  }
  return list;
}

/** sort.SliceStable (insertion-sorted blocks of 20, then SymMerge), for less functions that are not orders. */
function goStableSort<T>(list: T[], less: (a: T, b: T) => boolean): T[] {
  const lessAt = (i: number, j: number) => less(list[i], list[j]);
  const swap = (i: number, j: number) => {
    [list[i], list[j]] = [list[j], list[i]];
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessAt(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessAt(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessAt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessAt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };

  const n = list.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
  return list;
}

/** sortScalars: in place, by the %v text of each value. */
function sortScalars(s: unknown[]): unknown[] {
  return goSort(s, (a, b) => goSprint(a) <= goSprint(b));
}

/**
 * deduplicateScalars, in place: each repeat is overwritten by the last element, which changes the
 * order. Returns the new length; like Go's slice, the array keeps its size.
 */
function deduplicateInPlace(s: unknown[]): number {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[length];
        length--;
        j--;
      }
    }
  }
  return Math.max(length + 1, 0);
}

function deduplicateScalars(list: unknown[]): unknown[] {
  const s = list.slice();
  return s.slice(0, deduplicateInPlace(s));
}

/** sliceElementType: the Go type shared by every element of the lists. */
function sliceElementType(...lists: unknown[][]): string {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goType(v);
      if (prev === undefined) {
        prev = t;
        if (prev === 'slice') fail(ERR_NO_LIST_OF_LISTS);
      } else if (prev !== t) {
        fail(`list element types are not identical: ${goSprint(lists)}`);
      }
    }
  }
  if (prev === undefined) fail('no elements in any of the given slices');
  return prev;
}

// ------------------------------------------------------------------ strategies

/** extractRetainKeysPatchStrategy: whether retainKeys is set, and the other strategy. */
function retainKeysAndStrategy(strategies: readonly string[]): [boolean, string] {
  switch (strategies.length) {
    case 0:
      return [false, ''];
    case 1:
      return strategies[0] === RETAIN_KEYS_STRATEGY ? [true, ''] : [false, strategies[0]];
    case 2:
      if (strategies[0] === RETAIN_KEYS_STRATEGY) return [true, strategies[1]];
      if (strategies[1] === RETAIN_KEYS_STRATEGY) return [true, strategies[0]];
  }
  return fail(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

// ------------------------------------------------------------------ computing patches (diff)

interface DiffOptions {
  /** Generate `$setElementOrder` parallel lists. */
  setElementOrder?: boolean;
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  /** Add `$retainKeys` to the maps of a retainKeys field. */
  buildRetainKeysDirective?: boolean;
}

/** diffMaps: the (recursive) patch that turns `original` into `modified`. */
function diffMaps(original: JsonMap, modified: JsonMap, schema: TypeSchema, options: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const retainKeysList: unknown[] = [];

  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (options.buildRetainKeysDirective && modifiedValue !== null) retainKeysList.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === DIRECTIVE) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') {
        fail(`invalid value for special key: ${DIRECTIVE}`);
      }
      if (modifiedValue !== originalValue) patch[DIRECTIVE] = modifiedValue;
      continue;
    }
    if (goType(originalValue) !== goType(modifiedValue)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    if (isMap(originalValue)) {
      diffMapField(key, originalValue, modifiedValue as JsonMap, patch, schema, options);
    } else if (Array.isArray(originalValue)) {
      diffListField(key, originalValue, modifiedValue as unknown[], patch, schema, options);
    } else if (!options.ignoreChangesAndAdditions && !deepEqual(originalValue, modifiedValue)) {
      patch[key] = modifiedValue;
    }
  }

  if (!options.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  // The directive goes out when something changed or when a field must be cleared.
  const hasAdditionalField = Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
  if (retainKeysList.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalField)) {
    patch[RETAIN_KEYS] = sortScalars(retainKeysList);
  }
  return patch;
}

/** handleMapDiff */
function diffMapField(
  key: string,
  original: JsonMap,
  modified: JsonMap,
  patch: JsonMap,
  schema: TypeSchema,
  options: DiffOptions,
): void {
  const meta = fieldMeta(schema, key);
  const [retainKeys, strategy] = retainKeysAndStrategy(meta.strategies);
  if (strategy === REPLACE) {
    if (!options.ignoreChangesAndAdditions) patch[key] = modified;
    return;
  }
  const patchValue = diffMaps(original, modified, meta.type, { ...options, buildRetainKeysDirective: retainKeys });
  if (Object.keys(patchValue).length > 0) patch[key] = patchValue;
}

/** handleSliceDiff */
function diffListField(
  key: string,
  original: unknown[],
  modified: unknown[],
  patch: JsonMap,
  schema: TypeSchema,
  options: DiffOptions,
): void {
  const meta = fieldMeta(schema, key);
  const [retainKeys, strategy] = retainKeysAndStrategy(meta.strategies);
  if (strategy !== MERGE) {
    if (!options.ignoreChangesAndAdditions && !deepEqual(original, modified)) patch[key] = modified;
    return;
  }
  const [addList, deletionList, setOrderList] = diffLists(original, modified, meta.type, meta.mergeKey, {
    ...options,
    buildRetainKeysDirective: retainKeys,
  });
  if (addList.length > 0) patch[key] = addList;
  if (deletionList.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}/${key}`] = deletionList;
  if (setOrderList.length > 0) patch[`${SET_ELEMENT_ORDER}/${key}`] = setOrderList;
}

/**
 * diffLists: for a merging list, the patch list (changes, additions, then `$patch: delete`
 * items), the parallel deletion list of a primitive list, and the `$setElementOrder` list.
 */
function diffLists(
  original: unknown[],
  modified: unknown[],
  schema: TypeSchema,
  mergeKey: string,
  options: DiffOptions,
): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) {
    if (modified.length === 0 || options.ignoreChangesAndAdditions) return [[], [], []];
    return [modified, [], []];
  }
  const kind = sliceElementType(original, modified);
  if (kind === 'map') {
    const [changes, deletions] = diffListsOfMaps(original, modified, schema, mergeKey, options);
    const patchList = normalizeSliceOrder(changes, modified, mergeKey, kind).concat(deletions);
    const orderSame = isOrderSame(original, modified, mergeKey);
    let setOrderList: unknown[] = [];
    if (
      options.setElementOrder &&
      ((!options.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) ||
        (!options.ignoreDeletions && patchList.length > 0))
    ) {
      setOrderList = modified.map((v) => ({ [mergeKey]: (v as JsonMap)[mergeKey] ?? null }));
    }
    return [patchList, [], setOrderList];
  }
  const [additions, deletions] = diffListsOfScalars(original, modified, options);
  const patchList = normalizeSliceOrder(additions, modified, mergeKey, kind);
  // Upstream compares `original` after diffListsOfScalars sorted it in place, so a primitive
  // list that was merely out of order also gets a $setElementOrder list.
  const setOrderList =
    options.setElementOrder &&
    ((!options.ignoreDeletions && deletions.length > 0) ||
      (!options.ignoreChangesAndAdditions && !deepEqual(original, modified)))
      ? modified
      : [];
  return [patchList, deletions, setOrderList];
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return modified.every((item, i) => mergeKeyValueEqual(original[i], item, mergeKey));
}

/** diffListsOfScalars: additions and deletions of a primitive merging list. Sorts `original` in place. */
function diffListsOfScalars(original: unknown[], modified: unknown[], options: DiffOptions): [unknown[], unknown[]] {
  const originalScalars = sortScalars(original);
  const modifiedScalars = sortScalars(modified.slice());
  const additions: unknown[] = [];
  const deletions: unknown[] = [];
  let oi = 0;
  let mi = 0;
  while (oi < originalScalars.length || mi < modifiedScalars.length) {
    const inOriginal = oi < originalScalars.length;
    const inModified = mi < modifiedScalars.length;
    const o = inOriginal ? goSprint(originalScalars[oi]) : '';
    const m = inModified ? goSprint(modifiedScalars[mi]) : '';
    if (inOriginal && inModified && o === m) {
      oi++;
      mi++;
    } else if (!inOriginal || (inModified && o > m)) {
      if (!options.ignoreChangesAndAdditions) additions.push(modifiedScalars[mi]);
      mi++;
    } else {
      if (!options.ignoreDeletions) deletions.push(originalScalars[oi]);
      oi++;
    }
  }
  return [additions, deduplicateScalars(deletions)];
}

/** diffListsOfMaps: changed/added elements and `$patch: delete` items, walking both lists sorted by merge key. */
function diffListsOfMaps(
  original: unknown[],
  modified: unknown[],
  schema: TypeSchema,
  mergeKey: string,
  options: DiffOptions,
): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  const originalSorted = sortMapsByMergeKey(original, mergeKey);
  const modifiedSorted = sortMapsByMergeKey(modified, mergeKey);
  let oi = 0;
  let mi = 0;
  while (oi < originalSorted.length || mi < modifiedSorted.length) {
    const inOriginal = oi < originalSorted.length;
    const inModified = mi < modifiedSorted.length;
    const [originalElement, originalKeyValue] = inOriginal ? mapAndMergeKeyValue(originalSorted[oi], mergeKey) : [];
    const [modifiedElement, modifiedKeyValue] = inModified ? mapAndMergeKeyValue(modifiedSorted[mi], mergeKey) : [];
    const o = inOriginal ? goSprint(originalKeyValue) : '';
    const m = inModified ? goSprint(modifiedKeyValue) : '';
    if (inOriginal && inModified && o === m) {
      const patchValue = diffMaps(originalElement!, modifiedElement!, schema, options);
      if (Object.keys(patchValue).length > 0) {
        patchValue[mergeKey] = modifiedKeyValue;
        patch.push(patchValue);
      }
      oi++;
      mi++;
    } else if (!inOriginal || (inModified && o > m)) {
      if (!options.ignoreChangesAndAdditions) patch.push(modifiedElement);
      mi++;
    } else {
      if (!options.ignoreDeletions) deletions.push({ [mergeKey]: originalKeyValue, [DIRECTIVE]: DELETE });
      oi++;
    }
  }
  return [patch, deletions];
}

function mapAndMergeKeyValue(item: unknown, mergeKey: string): [JsonMap, unknown] {
  if (!isMap(item)) return errBadArgType(MAP_TYPE, item);
  if (!Object.hasOwn(item, mergeKey)) return errNoMergeKey(item, mergeKey);
  return [item, item[mergeKey]];
}

/** sortMergeListsByNameArray (no recursion) on a list of maps: a copy sorted by the %v text of the merge key. */
function sortMapsByMergeKey(list: unknown[], mergeKey: string): unknown[] {
  return goSort(list.slice(), (a, b) => goSprint((a as JsonMap)[mergeKey]) <= goSprint((b as JsonMap)[mergeKey]));
}

// ------------------------------------------------------------------ list order

/** index: the position of an item (maps by merge key value) in a list, or -1. */
function indexOf(list: readonly unknown[] | undefined, item: unknown, mergeKey: string, kind: string): number {
  const value = (v: unknown) => (kind === 'map' ? (isMap(v) ? v[mergeKey] : null) : v);
  const wanted = value(item);
  return (list ?? []).findIndex((v) => goEqual(value(v), wanted));
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) errBadArgType(MAP_TYPE, item);
      else if (!Object.hasOwn(item, mergeKey)) errNoMergeKey(item, mergeKey);
    }
  }
}

/** extractToDeleteItems: the items without and with `$patch: delete`. */
function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) return errBadArgType(MAP_TYPE, v);
    (Object.hasOwn(v, DIRECTIVE) && v[DIRECTIVE] === DELETE ? toDelete : keep).push(v);
  }
  return [keep, toDelete];
}

/** normalizeSliceOrder: `toSort` in the order of `order`, deletion items last. */
function normalizeSliceOrder(toSort: unknown[], order: unknown[] | undefined, mergeKey: string, kind: string): unknown[] {
  let sorted = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order ?? []);
    [sorted, toDelete] = extractToDeleteItems(toSort);
  } else {
    sorted = toSort.slice();
  }
  goStableSort(sorted, (a, b) => {
    const ia = indexOf(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexOf(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return sorted.concat(toDelete);
}

/**
 * normalizeElementOrder + mergeSortedSlice: patch items in patch order, server-only items in
 * their live order, interleaved: a server-only item goes first only when both items are in the
 * live list and it came first there.
 */
function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[] | undefined,
  serverOrder: unknown[] | undefined,
  mergeKey: string,
  kind: string,
): unknown[] {
  const right = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function partitionPrimitivesByPresentInList(list: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(partitionBy);
  return [list.filter((v) => inPatch.has(v)), list.filter((v) => !inPatch.has(v))];
}

function partitionMapsByPresentInList(list: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    const [m, value] = mapAndMergeKeyValue(v, mergeKey);
    (findMapByKeyValue(partitionBy, mergeKey, value) >= 0 ? patch : serverOnly).push(m);
  }
  return [patch, serverOnly];
}

/** findMapInSliceBasedOnKeyValue: the index of the first map whose merge key has this value, or -1. */
function findMapByKeyValue(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isMap(v)) fail(`value for key ${i} is not a map`);
    if (Object.hasOwn(v, key) && goEqual(v[key], value)) return i;
  }
  return -1;
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isMap(left)) return errBadArgType(MAP_TYPE, left);
  if (!isMap(right)) return errBadArgType(MAP_TYPE, right);
  if (!Object.hasOwn(left, mergeKey)) return errNoMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) return errNoMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

// ------------------------------------------------------------------ applying patches (merge)

interface MergeOptions {
  /** Apply `$deleteFromPrimitiveList` and `$setElementOrder` lists (the server side); false when combining two patches. */
  mergeParallelList?: boolean;
  /** Drop nulls that match nothing (the server side); false keeps them so a combined patch still deletes. */
  ignoreUnmatchedNulls?: boolean;
}

/** extractKey: the field a `$deleteFromPrimitiveList/` or `$setElementOrder/` key names. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    fail(prefix === DELETE_FROM_PRIMITIVE_LIST ? ERR_BAD_PRIMITIVE_LIST : ERR_BAD_SET_ELEMENT_ORDER);
  }
  return s.slice(slash + 1);
}

/** removeDirectives: a value added as is, without its `$patch` maps; false when the value itself is one. */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (isMap(v)) {
    if (Object.hasOwn(v, DIRECTIVE)) return [null, false];
    for (const k of Object.keys(v)) {
      const [value, keep] = removeDirectives(v[k]);
      if (keep) v[k] = value;
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const [value, keep] = removeDirectives(item);
      if (keep) out.push(value);
    }
    return [out, true];
  }
  return [v, true];
}

/** discardNullValuesFromPatch: nulls inside a value that is added whole mean nothing. */
function discardNullValues(v: unknown): void {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNullValues(v[k]);
    }
  } else if (Array.isArray(v)) {
    v.forEach(discardNullValues);
  }
}

/** mergeMap: merge `patch` into `original` (both modified), honouring directives and field strategies. */
function mergeMap(original: JsonMap | null, patch: JsonMap, schema: TypeSchema, options: MergeOptions): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === REPLACE) {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === DELETE) return {};
    return errBadPatchType(directive, patch);
  }
  const target = original ?? {};
  applyRetainKeysDirective(target, patch, options);
  mergePatchIntoOriginal(target, patch, schema, options);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      if (!options.mergeParallelList) {
        target[patchKey] = patchV;
        continue;
      }
      key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST) || patchKey;
      isDeleteList = true;
    }
    if (patchV === null) {
      delete target[key];
      if (options.ignoreUnmatchedNulls) continue;
    }
    if (!Object.hasOwn(target, key) || goType(target[key]) !== goType(patchV)) {
      // A new value (or one of another type) is taken whole; a deletion list never adds anything.
      if (!isDeleteList) takePatchValue(target, key, patchV, options);
      continue;
    }
    if (isMap(patchV)) {
      const meta = fieldMeta(schema, key);
      const [, strategy] = retainKeysAndStrategy(meta.strategies);
      target[key] = strategy === REPLACE ? patchV : mergeMap(target[key] as JsonMap, patchV, meta.type, options);
    } else if (Array.isArray(patchV)) {
      const meta = fieldMeta(schema, key);
      const [, strategy] = retainKeysAndStrategy(meta.strategies);
      const list = target[key] as unknown[];
      target[key] = mergeListField(list, patchV, meta.type, strategy, meta.mergeKey, isDeleteList, options);
    } else {
      target[key] = patchV;
    }
  }
  return target;
}

function takePatchValue(target: JsonMap, key: string, value: unknown, options: MergeOptions): void {
  if (options.ignoreUnmatchedNulls) discardNullValues(value);
  const [v, keep] = removeDirectives(value);
  if (keep) target[key] = v;
  else delete target[key];
}

/**
 * applyRetainKeysDirective: with `$retainKeys`, keys of the original missing from the list are
 * cleared; every non-null key of the patch must be listed. When two patches are combined the
 * directive is carried over instead.
 */
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap, options: MergeOptions): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retainKeys = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!options.mergeParallelList) {
    if (!Object.hasOwn(original, RETAIN_KEYS)) original[RETAIN_KEYS] = retainKeys;
    else if (!deepEqual(original[RETAIN_KEYS], retainKeys)) {
      const both = `${goSprint(original[RETAIN_KEYS])} and ${goSprint(retainKeys)}`;
      fail(`${both} are not deep equal: this may happen when calculating the 3-way diff patch`);
    }
    return;
  }
  if (!Array.isArray(retainKeys)) fail(ERR_BAD_RETAIN_KEYS);
  const keep = new Set(retainKeys);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) fail(ERR_BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * mergePatchIntoOriginal: each `$setElementOrder/<field>` list is merged together with the
 * field's patch list, then the result is ordered: `$setElementOrder` first, then the patch order,
 * then the live order. Both the directive and the list leave `patch` once handled.
 */
function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, schema: TypeSchema, options: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    if (!options.mergeParallelList) {
      if (!Object.hasOwn(original, key)) original[key] = order;
      else if (!deepEqual(original[key], order)) fail(ERR_BAD_SET_ELEMENT_ORDER);
    }
    delete patch[key];
    if (!Array.isArray(order)) return errBadArgType(SLICE_TYPE, order);
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = Object.hasOwn(original, field);
    const foundPatch = Object.hasOwn(patch, field);
    const originalList = original[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(originalList)) errBadArgType(SLICE_TYPE, originalList);
    if (foundPatch && !Array.isArray(patchList)) errBadArgType(SLICE_TYPE, patchList);
    const originalFieldValue = foundOriginal ? (originalList as unknown[]) : undefined;
    const patchFieldValue = foundPatch ? (patchList as unknown[]) : undefined;
    const meta = fieldMeta(schema, field);
    const [, strategy] = retainKeysAndStrategy(meta.strategies);
    validatePatchWithSetOrderList(patchFieldValue ?? [], order, meta.mergeKey);

    let merged: unknown[];
    // What the live order is read from afterwards: Go's slice of the original list, which the
    // merge may have written into.
    let serverOrder = originalFieldValue;
    if (originalFieldValue && !patchFieldValue) merged = originalFieldValue;
    else if (!originalFieldValue && patchFieldValue) merged = removeDirectives(patchFieldValue)[0] as unknown[];
    else if (originalFieldValue && patchFieldValue) {
      const backing = { items: originalFieldValue.slice(), cap: decodedCapacity(originalFieldValue.length) };
      const { type, mergeKey } = meta;
      merged = mergeListField(originalFieldValue, patchFieldValue, type, strategy, mergeKey, false, options, backing);
      serverOrder = backing.items.slice(0, originalFieldValue.length);
    } else continue;

    const [patchItems, serverOnlyItems] =
      meta.mergeKey === ''
        ? partitionPrimitivesByPresentInList(merged, order)
        : partitionMapsByPresentInList(merged, order, meta.mergeKey);
    const kind = sliceElementType(originalFieldValue ?? [], patchFieldValue ?? []);
    original[field] = normalizeElementOrder(patchItems, serverOnlyItems, order, serverOrder, meta.mergeKey, kind);
    delete patch[field];
  }
}

/**
 * validatePatchWithSetOrderList: the patch list (deletions aside) must follow the order of the
 * `$setElementOrder` list.
 */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let oi = 0;
  while (pi < nonDelete.length && oi < order.length) {
    if (isMap(nonDelete[pi]) && Object.hasOwn(nonDelete[pi] as JsonMap, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[pi], order[oi], mergeKey)) pi++;
    oi++;
  }
  if (pi < nonDelete.length && oi >= order.length) {
    fail(
      `The order in patch list:\n${goSprint(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goSprint(order)}\n`,
    );
  }
}

/**
 * The backing array of a list as decoded from JSON, as far as Go slice aliasing makes it
 * observable: the merge of a list deletes elements by shifting them down in place and appends
 * into spare capacity, and mergePatchIntoOriginal then reads the live order through a slice of
 * the original length over that same array.
 */
interface Backing {
  items: unknown[];
  cap: number;
}

/** The capacity encoding/json leaves on a decoded array: it appends one element at a time. */
function decodedCapacity(length: number): number {
  return length === 0 || length > 256 ? length : 2 ** Math.ceil(Math.log2(length));
}

/** mergeSliceHandler: merging lists merge, every other list is replaced by the patch. */
function mergeListField(
  original: unknown[],
  patch: unknown[],
  elemSchema: TypeSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  options: MergeOptions,
  backing?: Backing,
): unknown[] {
  return strategy === MERGE ? mergeSlice(original, patch, elemSchema, mergeKey, isDeleteList, options, backing) : patch;
}

/** mergeSlice: merge two lists of a merging field and put the result in order. */
function mergeSlice(
  originalList: unknown[],
  patchList: unknown[],
  elemSchema: TypeSchema,
  mergeKey: string,
  isDeleteList: boolean,
  options: MergeOptions,
  backing?: Backing,
): unknown[] {
  if (originalList.length === 0 && patchList.length === 0) return originalList;
  const kind = sliceElementType(originalList, patchList);
  let original = originalList;
  let patch: unknown[] | undefined = patchList;
  let merged: unknown[];
  if (kind !== 'map') {
    if (options.mergeParallelList && isDeleteList) return original.filter((v) => !patchList.some((d) => goEqual(d, v)));
    const both = original.concat(patch);
    const length = deduplicateInPlace(both);
    // append() reused the original's array when the patch fit in its capacity.
    if (backing && both.length <= backing.cap) both.slice(0, original.length).forEach((v, i) => (backing.items[i] = v));
    merged = both.slice(0, length);
  } else {
    if (mergeKey === '') fail(`cannot merge lists without merge key for ${elemSchema.kind}`);
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey, backing);
    merged = mergeSliceWithoutSpecialElements(original, patch ?? [], mergeKey, elemSchema, options, patch && backing);
  }
  const [patchItems, serverOnlyItems] =
    mergeKey === ''
      ? partitionPrimitivesByPresentInList(merged, patch ?? [])
      : partitionMapsByPresentInList(merged, patch ?? [], mergeKey);
  return normalizeElementOrder(patchItems, serverOnlyItems, patch, original, mergeKey, kind);
}

/**
 * mergeSliceWithSpecialElements: apply `$patch: delete` items (removing every element with that
 * merge key value) and `$patch: replace` (the other patch items become the list, and there is no
 * patch left to merge).
 */
function mergeSliceWithSpecialElements(
  originalList: unknown[],
  patch: unknown[],
  mergeKey: string,
  backing?: Backing,
): [unknown[], unknown[] | undefined] {
  let original = originalList;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === DELETE) {
      if (!Object.hasOwn(item, mergeKey)) errNoMergeKey(item, mergeKey);
      // deleteMatchingEntries: every element with that key goes; each removal,
      // append(original[:i], original[i+1:]...), shifts the tail down within the same array.
      let i = findMapByKeyValue(original, mergeKey, item[mergeKey]);
      while (i >= 0) {
        original = original.slice(0, i).concat(original.slice(i + 1));
        if (backing) original.forEach((o, k) => (backing.items[k] = o));
        i = findMapByKeyValue(original, mergeKey, item[mergeKey]);
      }
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      fail('merging lists cannot yet be specified in the patch');
    } else {
      errBadPatchType(directive, item);
    }
  }
  return replace ? [plain, undefined] : [original, plain];
}

/** mergeSliceWithoutSpecialElements: merge each patch item into the element with its merge key, or append it. */
function mergeSliceWithoutSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  elemSchema: TypeSchema,
  options: MergeOptions,
  backing?: Backing,
): unknown[] {
  const out = original.slice();
  // Whether `out` still lives in the original array (until an append outgrows its capacity).
  let shared = backing !== undefined;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!Object.hasOwn(item, mergeKey)) errNoMergeKey(item, mergeKey);
    const i = findMapByKeyValue(out, mergeKey, item[mergeKey]);
    if (i >= 0) {
      out[i] = mergeMap(out[i] as JsonMap, item, elemSchema, options);
      if (shared) backing!.items[i] = out[i];
      continue;
    }
    if (shared && out.length < backing!.cap) backing!.items[out.length] = v;
    else shared = false;
    out.push(v);
  }
  return out;
}

// ------------------------------------------------------------------ conflicts (apply --overwrite=false)

/** MergingMapsHaveConflicts: whether two patches change the same key differently. */
function mergingMapFieldsHaveConflicts(
  left: unknown,
  right: unknown,
  schema: TypeSchema,
  strategy: string,
  mergeKey: string,
): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true;
    const inLeft = Object.hasOwn(left, DIRECTIVE);
    const inRight = Object.hasOwn(right, DIRECTIVE);
    if (inLeft || inRight) {
      if (inLeft !== inRight || !goEqual(left[DIRECTIVE], right[DIRECTIVE])) return true;
    }
    if (strategy === REPLACE) return false;
    for (const [key, leftValue] of Object.entries(left)) {
      if (key === DIRECTIVE || key === RETAIN_KEYS || !Object.hasOwn(right, key)) continue;
      const meta = fieldMeta(schema, key);
      const [, fieldStrategy] = retainKeysAndStrategy(meta.strategies);
      if (mergingMapFieldsHaveConflicts(leftValue, right[key], meta.type, fieldStrategy, meta.mergeKey)) return true;
    }
    return false;
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true;
    return listsHaveConflicts(left, right, schema, strategy, mergeKey);
  }
  return !deepEqual(left, right);
}

function listsHaveConflicts(
  left: unknown[],
  right: unknown[],
  schema: TypeSchema,
  strategy: string,
  mergeKey: string,
): boolean {
  let kind: string;
  try {
    kind = sliceElementType(left, right);
  } catch {
    return true;
  }
  if (strategy === MERGE) {
    if (kind !== 'map') return false;
    const byKey = (list: unknown[]) =>
      new Map(list.map((v) => [goSprint(mapAndMergeKeyValue(v, mergeKey)[1]), v] as const));
    const leftMap = byKey(left);
    const rightMap = byKey(right);
    for (const [k, v] of leftMap) {
      if (rightMap.has(k) && mergingMapFieldsHaveConflicts(v, rightMap.get(k), schema, '', '')) return true;
    }
    return false;
  }
  if (left.length !== right.length) return true;
  const [l, r] = kind === 'map' ? [left, right] : [left, right].map((s) => sortScalars(deduplicateScalars(s)));
  return l.some((v, i) => mergingMapFieldsHaveConflicts(v, r[i], schema, '', ''));
}

// ------------------------------------------------------------------ entry points

function requireMap(v: unknown): JsonMap {
  if (!isMap(v)) fail(ERR_BAD_JSON_DOC);
  return deepCopy(v);
}

function requireSchema(gk: GroupKind): TypeSchema {
  const schema = schemaFor(gk);
  if (!schema) fail(ERR_UNSUPPORTED);
  return schema;
}

/** Drop the server status from a failure that happens while kubectl computes a patch. */
function clientSide<T>(compute: () => T): T {
  try {
    return compute();
  } catch (e) {
    if (e instanceof PatchError) throw new PatchError(e.message);
    throw e;
  }
}

/**
 * Apply a strategic merge patch (StrategicMergeMapPatch): what the API server does with
 * `PATCH application/strategic-merge-patch+json`, and `kubectl patch --local`.
 * Throws PatchError with apimachinery's message. A `null` patch changes nothing.
 */
export function strategicMergePatchWithSchema(original: unknown, patch: unknown, schema: TypeSchema): JsonMap {
  const target = requireMap(original);
  if (patch === null) return target;
  return mergeMap(target, requireMap(patch), schema, { mergeParallelList: true, ignoreUnmatchedNulls: true });
}

/** strategicMergePatchWithSchema for a served kind; other kinds fail as the apiserver does for them. */
export function strategicMergePatch(original: unknown, patch: unknown, gk: GroupKind): unknown {
  return strategicMergePatchWithSchema(original, patch, requireSchema(gk));
}

/**
 * CreateTwoWayMergePatch: the patch that turns `original` into `modified` (with `$setElementOrder`
 * lists), keys sorted as json.Marshal writes them.
 */
export function createTwoWayMergePatchWithSchema(original: unknown, modified: unknown, schema: TypeSchema): JsonMap {
  return clientSide(() => {
    const patch = diffMaps(requireMap(original ?? {}), requireMap(modified ?? {}), schema, { setElementOrder: true });
    return sortedKeys(patch) as JsonMap;
  });
}

export function createTwoWayMergePatch(original: unknown, modified: unknown, gk: GroupKind): Record<string, unknown> {
  return createTwoWayMergePatchWithSchema(original, modified, requireSchema(gk));
}

/**
 * CreateThreeWayMergePatch, as kubectl apply uses it (staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go):
 * `original` is the last-applied configuration (undefined when the object has none), `modified`
 * the new configuration, `current` the live object. The patch carries every change from current
 * to modified, plus the deletions of fields that were in original and are gone from modified;
 * fields only the server set survive. `{}` means nothing to do (apply prints "unchanged").
 *
 * With `overwrite` false (apply --overwrite=false), a patch touching keys that changed between
 * original and current is refused with mergepatch's conflict error.
 */
export function createThreeWayMergePatchWithSchema(
  original: unknown | undefined,
  modified: unknown,
  current: unknown,
  schema: TypeSchema,
  overwrite = true,
): JsonMap {
  return clientSide(() => {
    const originalMap = requireMap(original ?? {});
    const modifiedMap = requireMap(modified ?? {});
    const currentMap = requireMap(current ?? {});
    // The changes and additions from current to modified, then the deletions from original to
    // modified; merging the first into the second is strictly additive.
    const delta = diffMaps(currentMap, modifiedMap, schema, { ignoreDeletions: true, setElementOrder: true });
    const deletions = diffMaps(originalMap, modifiedMap, schema, { setElementOrder: true, ignoreChangesAndAdditions: true });
    const patch = mergeMap(deletions, delta, schema, {});
    if (!overwrite) {
      const changed = diffMaps(originalMap, currentMap, schema, {});
      if (mergingMapFieldsHaveConflicts(patch, changed, schema, '', '')) {
        throw new PatchError(
          `patch:\n${toYaml(patch)}\nconflicts with changes made from original to current:\n${toYaml(changed)}\n`,
        );
      }
    }
    return sortedKeys(patch) as JsonMap;
  });
}

export function createThreeWayMergePatch(
  original: unknown | undefined,
  modified: unknown,
  current: unknown,
  gk: GroupKind,
  overwrite?: boolean,
): Record<string, unknown> {
  return createThreeWayMergePatchWithSchema(original, modified, current, requireSchema(gk), overwrite);
}

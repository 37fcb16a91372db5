/**
 * The cluster as one command sees it: every stored object, decoded lazily from the store file,
 * plus the changes made so far (which the controllers react to).
 *
 * Objects handed out by get/list are shared: code that changes an object clones it first and
 * stores the clone with put(). Keys sort like etcd's (`<namespace>/<name>` bytewise), which is
 * the order a real API server lists objects in.
 */
import type { KObject } from '../api/types.ts';
import { matches, type Selector } from '../selectors/labels.ts';
import {
  encodeLine,
  lineBytes,
  objectKey,
  parseLineObject,
  parseLineSummary,
  summarize,
  type LineRef,
  type Summary,
} from './format.ts';
import type { StoreMeta } from './meta.ts';

interface Entry {
  ref?: LineRef;
  obj?: KObject;
  summary?: Summary;
  /** Written from `obj` (true) or copied from `ref` (false). */
  dirty: boolean;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: ChangeType;
  resource: string;
  namespace: string;
  name: string;
  /** The object after the change (for DELETED: the last stored version). */
  object: KObject;
  /** The object before the change (MODIFIED, DELETED). */
  old?: KObject;
}

export class StoreCorruptError extends Error {}

/** namespace -> name -> entry */
type Table = Map<string, Map<string, Entry>>;

/** index value -> keys (`<namespace>/<name>`) of the objects carrying it */
type Index = Map<string, Set<string>>;

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ClusterState {
  meta: StoreMeta;
  private readonly tables = new Map<string, Table>();
  private changeLog: Change[] = [];
  /** Per resource: owner uid -> objects (built on first use, then kept up to date). */
  private readonly ownerIndexes = new Map<string, Index>();
  /** Per resource: `key=value` label pair -> objects. */
  private readonly labelIndexes = new Map<string, Index>();
  /** Events by the object they are about (`kind/name/uid`). */
  private involvedIndex: Index | undefined;
  /** Any write happened (objects or meta). */
  modified = false;

  constructor(meta: StoreMeta, lines: readonly LineRef[] = []) {
    this.meta = meta;
    for (const ref of lines) {
      const k = ref.key;
      const a = k.indexOf('/');
      const b = k.indexOf('/', a + 1);
      if (a < 0 || b < 0) throw new StoreCorruptError(`object key "${k}" is malformed`);
      this.namesIn(k.slice(0, a), k.slice(a + 1, b)).set(k.slice(b + 1), { ref, dirty: false });
    }
  }

  private namesIn(resource: string, namespace: string): Map<string, Entry> {
    let t = this.tables.get(resource);
    if (!t) {
      t = new Map();
      this.tables.set(resource, t);
    }
    let names = t.get(namespace);
    if (!names) {
      names = new Map();
      t.set(namespace, names);
    }
    return names;
  }

  private decode(entry: Entry): KObject {
    if (!entry.obj) {
      try {
        entry.obj = parseLineObject(entry.ref!);
      } catch (e) {
        throw new StoreCorruptError(`object ${entry.ref!.key} is not valid JSON (${(e as Error).message})`);
      }
    }
    return entry.obj;
  }

  private summaryOf(resource: string, entry: Entry): Summary {
    if (!entry.summary) {
      if (entry.obj) entry.summary = summarize(resource, entry.obj);
      else {
        try {
          entry.summary = parseLineSummary(entry.ref!);
        } catch (e) {
          throw new StoreCorruptError(`object ${entry.ref!.key} has an invalid summary (${(e as Error).message})`);
        }
      }
    }
    return entry.summary;
  }

  // ------------------------------------------------------------ reads

  get<T extends KObject = KObject>(resource: string, namespace: string, name: string): T | undefined {
    const entry = this.tables.get(resource)?.get(namespace)?.get(name);
    return entry ? (this.decode(entry) as T) : undefined;
  }

  has(resource: string, namespace: string, name: string): boolean {
    return this.tables.get(resource)?.get(namespace)?.has(name) ?? false;
  }

  /** Entries of a resource, in etcd key order, optionally in one namespace. */
  private *entries(resource: string, namespace?: string): Generator<[string, string, Entry]> {
    const t = this.tables.get(resource);
    if (!t) return;
    // etcd orders `/registry/<resource>/<namespace>/<name>` bytewise, so `default-x/` sorts before `default/`.
    const namespaces =
      namespace === undefined
        ? [...t.keys()].sort((a, b) => compareKeys(`${a}/`, `${b}/`))
        : t.has(namespace)
          ? [namespace]
          : [];
    for (const ns of namespaces) {
      const names = t.get(ns)!;
      for (const name of [...names.keys()].sort(compareKeys)) yield [ns, name, names.get(name)!];
    }
  }

  list<T extends KObject = KObject>(resource: string, namespace?: string): T[] {
    const out: T[] = [];
    for (const [, , e] of this.entries(resource, namespace)) out.push(this.decode(e) as T);
    return out;
  }

  /**
   * Visit every object of a resource without keeping the decoded copies (for big read-only
   * listings: memory stays bounded by one object at a time).
   */
  scan(resource: string, namespace: string | undefined, visit: (obj: KObject) => void): void {
    for (const [, , e] of this.entries(resource, namespace)) {
      if (e.obj) visit(e.obj);
      else {
        try {
          visit(parseLineObject(e.ref!));
        } catch (err) {
          if (err instanceof SyntaxError) throw new StoreCorruptError(`object ${e.ref!.key} is not valid JSON`);
          throw err;
        }
      }
    }
  }

  count(resource: string, namespace?: string): number {
    const t = this.tables.get(resource);
    if (!t) return 0;
    if (namespace !== undefined) return t.get(namespace)?.size ?? 0;
    let n = 0;
    for (const names of t.values()) n += names.size;
    return n;
  }

  /**
   * Objects whose labels match the selector. Equality requirements narrow the candidates through
   * the label index, so a selective query does not visit every object.
   */
  select<T extends KObject = KObject>(resource: string, namespace: string | undefined, selector: Selector): T[] {
    const equal = selector.filter((r) => r.operator === '=' || r.operator === '==');
    if (equal.length === 0) {
      const out: T[] = [];
      for (const [, , e] of this.entries(resource, namespace)) {
        if (matches(selector, this.summaryOf(resource, e).l)) out.push(this.decode(e) as T);
      }
      return out;
    }
    const index = this.labelIndex(resource);
    let smallest: Set<string> | undefined;
    for (const r of equal) {
      const keys = index.get(`${r.key}=${r.values[0]}`);
      if (!keys) return [];
      if (!smallest || keys.size < smallest.size) smallest = keys;
    }
    return this.fromKeys<T>(resource, smallest!, namespace, (s) => matches(selector, s.l));
  }

  /** Decode the indexed objects in key order, keeping those in `namespace` that pass `test`. */
  private fromKeys<T extends KObject>(
    resource: string,
    keys: Set<string>,
    namespace: string | undefined,
    test: (s: Summary) => boolean,
  ): T[] {
    const out: T[] = [];
    const t = this.tables.get(resource);
    for (const key of [...keys].sort(compareKeys)) {
      const slash = key.indexOf('/');
      const ns = key.slice(0, slash);
      if (namespace !== undefined && ns !== namespace) continue;
      const e = t?.get(ns)?.get(key.slice(slash + 1));
      if (e && test(this.summaryOf(resource, e))) out.push(this.decode(e) as T);
    }
    return out;
  }

  private buildIndex(resource: string, values: (s: Summary) => string[] | undefined): Index {
    const index: Index = new Map();
    for (const [ns, name, e] of this.entries(resource)) {
      for (const v of values(this.summaryOf(resource, e)) ?? []) addToIndex(index, v, `${ns}/${name}`);
    }
    return index;
  }

  private labelIndex(resource: string): Index {
    let index = this.labelIndexes.get(resource);
    if (!index) {
      index = this.buildIndex(resource, labelPairs);
      this.labelIndexes.set(resource, index);
    }
    return index;
  }

  private ownerIndex(resource: string): Index {
    let index = this.ownerIndexes.get(resource);
    if (!index) {
      index = this.buildIndex(resource, (s) => s.r);
      this.ownerIndexes.set(resource, index);
    }
    return index;
  }

  /** Events about one object (its kind, name and uid as the event's involvedObject names them). */
  eventsAbout<T extends KObject = KObject>(namespace: string, kind: string, name: string, uid: string): T[] {
    if (!this.involvedIndex) this.involvedIndex = this.buildIndex('events', involvedKeys);
    const keys = this.involvedIndex.get(`${kind}/${name}/${uid}`);
    return keys ? this.fromKeys<T>('events', keys, namespace, () => true) : [];
  }

  /** Keep built indexes in step with a write. */
  private reindex(resource: string, key: string, before: Summary | undefined, after: Summary | undefined): void {
    if (resource === 'events' && this.involvedIndex) {
      for (const v of involvedKeys(before ?? {})) removeFromIndex(this.involvedIndex, v, key);
      for (const v of involvedKeys(after ?? {})) addToIndex(this.involvedIndex, v, key);
    }
    const labels = this.labelIndexes.get(resource);
    if (labels) {
      for (const v of labelPairs(before ?? {})) removeFromIndex(labels, v, key);
      for (const v of labelPairs(after ?? {})) addToIndex(labels, v, key);
    }
    const owners = this.ownerIndexes.get(resource);
    if (owners) {
      for (const v of before?.r ?? []) removeFromIndex(owners, v, key);
      for (const v of after?.r ?? []) addToIndex(owners, v, key);
    }
  }

  /** Objects whose summary satisfies `test` (decoded only when it does). */
  where<T extends KObject = KObject>(
    resource: string,
    namespace: string | undefined,
    test: (s: Summary) => boolean,
  ): T[] {
    const out: T[] = [];
    for (const [, , e] of this.entries(resource, namespace)) {
      if (test(this.summaryOf(resource, e))) out.push(this.decode(e) as T);
    }
    return out;
  }

  /** Objects with an ownerReference to `uid`. */
  ownedBy<T extends KObject = KObject>(resource: string, namespace: string | undefined, uid: string): T[] {
    const keys = this.ownerIndex(resource).get(uid);
    return keys ? this.fromKeys<T>(resource, keys, namespace, () => true) : [];
  }

  /** Summaries only (no decoding), e.g. to count pods per node. */
  summaries(resource: string, namespace?: string): Summary[] {
    const out: Summary[] = [];
    for (const [, , e] of this.entries(resource, namespace)) out.push(this.summaryOf(resource, e));
    return out;
  }

  resources(): string[] {
    return [...this.tables.keys()];
  }

  namespacesOf(resource: string): string[] {
    return [...(this.tables.get(resource)?.keys() ?? [])].filter((ns) => this.tables.get(resource)!.get(ns)!.size > 0);
  }

  // ------------------------------------------------------------ writes

  /** The next cluster-wide resourceVersion (etcd's revision). */
  nextResourceVersion(): string {
    this.meta.resourceVersion += 1;
    this.modified = true;
    return String(this.meta.resourceVersion);
  }

  /**
   * Store an object as is (the caller has set its metadata) and record the change. Returns the
   * stored object. The API layer and the controllers decide what the object contains.
   */
  put(resource: string, obj: KObject): KObject {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name!;
    const names = this.namesIn(resource, ns);
    const prev = names.get(name);
    const old = prev ? this.decode(prev) : undefined;
    obj.metadata.resourceVersion = this.nextResourceVersion();
    const entry: Entry = { obj, dirty: true };
    this.reindex(resource, `${ns}/${name}`, prev && this.summaryOf(resource, prev), this.summaryOf(resource, entry));
    names.set(name, entry);
    this.changeLog.push({ type: old ? 'MODIFIED' : 'ADDED', resource, namespace: ns, name, object: obj, old });
    return obj;
  }

  /** Remove an object; returns what was stored, or undefined. */
  remove(resource: string, namespace: string, name: string): KObject | undefined {
    const names = this.tables.get(resource)?.get(namespace);
    const entry = names?.get(name);
    if (!entry) return undefined;
    const old = this.decode(entry);
    this.reindex(resource, `${namespace}/${name}`, this.summaryOf(resource, entry), undefined);
    names!.delete(name);
    this.nextResourceVersion();
    this.changeLog.push({ type: 'DELETED', resource, namespace, name, object: old, old });
    return old;
  }

  /** Remove without recording a change (expired events). */
  expire(resource: string, namespace: string, name: string): void {
    const names = this.tables.get(resource)?.get(namespace);
    const entry = names?.get(name);
    if (!entry) return;
    this.reindex(resource, `${namespace}/${name}`, this.summaryOf(resource, entry), undefined);
    names!.delete(name);
    this.modified = true;
  }

  /** Changes recorded since the last call. */
  drainChanges(): Change[] {
    const c = this.changeLog;
    this.changeLog = [];
    return c;
  }

  // ------------------------------------------------------------ encoding

  /** Object lines for the store file, unchanged objects copied byte for byte. */
  encodeObjects(): (Buffer | string)[] {
    const out: (Buffer | string)[] = [];
    for (const [resource, t] of this.tables) {
      for (const [ns, names] of t) {
        for (const [name, e] of names) {
          if (!e.dirty && e.ref) out.push(lineBytes(e.ref));
          else out.push(encodeLine(objectKey(resource, ns, name), resource, e.obj!));
        }
      }
    }
    return out;
  }
}

function involvedKeys(s: Summary): string[] {
  return s.i ? [`${s.i[0]}/${s.i[1]}/${s.i[2]}`] : [];
}

function labelPairs(s: Summary): string[] {
  return s.l ? Object.entries(s.l).map(([k, v]) => `${k}=${v}`) : [];
}

function addToIndex(index: Index, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) {
    keys = new Set();
    index.set(value, keys);
  }
  keys.add(key);
}

function removeFromIndex(index: Index, value: string, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}

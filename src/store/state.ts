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
import { jsonEqual } from '../util/json-equal.ts';
import {
  encodeLine,
  writeLine,
  lineBytes,
  lineRef,
  objectKey,
  parseEncodedLine,
  parseLineObject,
  readStoredLine,
  checkStoredObject,
  corruptStoreMessage,
  StoreFormatError,
  parseLineSummary,
  summarize,
  splitKey,
  type FileRange,
  type JsonOut,
  type LineRef,
  type ObjectWriter,
  type StoredResource,
  type Summary,
} from './format.ts';
import type { StoreMeta } from './meta.ts';
import { Spill, type SpilledLine } from './spill.ts';

interface Entry {
  ref?: LineRef;
  obj?: KObject;
  /**
   * A new version already encoded as its store line: events (written once, seldom read back),
   * and every object written before a checkpoint (see compact()). When `obj` is also set, it is
   * this line decoded. The line is `len` bytes at `at` in a slab (numbers rather than a view
   * object per line: there are tens of thousands), or a buffer of its own when it is big.
   */
  slab?: Slab;
  at?: number;
  len?: number;
  line?: Buffer;
  summary?: Summary;
  /** Written from `obj` or `line` (true) or copied from `ref` (false). */
  dirty: boolean;
}

/**
 * Resources whose new objects are encoded as soon as they are written: events are many, written
 * once, and seldom read back within a command, so keeping them as text keeps the heap small.
 * Controllers do not react to them, so their writes are not recorded as changes either.
 */
const WRITE_ONCE = new Set(['events']);

/** One fill of the line slab: in memory, then once full, in the spill file from `base` on. */
interface Slab {
  buf: Buffer | undefined;
  spill: Spill | undefined;
  base: number;
}

/** Whether an entry's current version is an encoded line (in memory or spilled). */
function hasLine(e: Entry): boolean {
  return e.line !== undefined || e.slab !== undefined;
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

/**
 * The keys (`<namespace>/<name>`) of the objects carrying one index value, and the same keys in
 * key order, split into namespace and name (kept until the keys change: most are asked for again
 * and again while their objects are updated in place).
 */
interface IndexKeys {
  keys: Set<string>;
  sorted: [key: string, namespace: string, name: string][] | undefined;
  /** Look-ups since the keys last changed. */
  asked: number;
}

/** index value -> the objects carrying it */
type Index = Map<string, IndexKeys>;

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
  /** Label queries answered without the index, per resource (the second one builds it). */
  private readonly labelQueries = new Map<string, number>();
  /** Events by the uid of the object they are about. */
  private involvedIndex: Index | undefined;
  /** See activePodsPerNode(). */
  private nodePods: Map<string, number> | undefined;
  /** Writes per resource in this state (to tell whether anything derived from a resource is stale). */
  private readonly writeCounts = new Map<string, number>();
  /** Names of a namespace in key order, kept until a name is added or removed. */
  private readonly sortedNames = new WeakMap<Map<string, Entry>, string[]>();
  /** Any write happened (objects or meta). */
  modified = false;
  /** Objects created in this state, and the uid of each with its number in that count. */
  private creations = 0;
  private readonly createdUids = new Map<string, number>();
  /** Objects written since the last compact(), with where they were stored. */
  private written: [string, string, string, Entry][] = [];
  /** Entries decoded since the last compact(). */
  private decoded: Entry[] = [];
  private readonly slabs = new LineSlabs();

  /** Resources read from the file and not written since: their block can be written back as it is. */
  private readonly intactBlocks = new Map<string, Buffer | FileRange>();
  /** Resources in the file but not used yet: not decoded, perhaps not even read. */
  private readonly pending = new Map<string, StoredResource>();
  /** Resources in file order, then new ones (the order they are written back in). */
  private readonly order: string[] = [];

  /** The store file this state was read from (named in errors about damaged objects). */
  private readonly file: string | undefined;

  constructor(meta: StoreMeta, groups: readonly StoredResource[] = [], file?: string) {
    this.meta = meta;
    this.file = file;
    for (const g of groups) {
      this.pending.set(g.resource, g);
      this.order.push(g.resource);
    }
  }

  /** A resource's table, building it from its lines on first use. */
  private tableOf(resource: string): Table | undefined {
    const g = this.pending.get(resource);
    if (g) {
      const lines = g.lines();
      this.intactBlocks.set(resource, g.block());
      this.pending.delete(resource);
      const t: Table = new Map();
      this.tables.set(resource, t);
      for (let i = 0; i < lines.starts.length; i++) {
        const ref = lineRef(lines.buf, lines.starts[i], lines.ends[i]);
        const [ns, name] = this.reading(() => splitKey(ref.key));
        let names = t.get(ns);
        if (!names) {
          names = new Map();
          t.set(ns, names);
        }
        names.set(name, { ref, dirty: false });
      }
    }
    return this.tables.get(resource);
  }

  private namesIn(resource: string, namespace: string): Map<string, Entry> {
    let t = this.tableOf(resource);
    if (!t) {
      t = new Map();
      this.tables.set(resource, t);
      this.order.push(resource);
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
      const line = encodedLine(entry);
      if (line !== undefined) {
        entry.obj = parseEncodedLine(line);
        this.decoded.push(entry);
        return entry.obj;
      }
      entry.obj = this.readRef(entry.ref!);
      this.decoded.push(entry);
    }
    return entry.obj;
  }

  /** A stored object, checked; a damaged one is reported as a damaged store. */
  private readRef(ref: LineRef): KObject {
    try {
      return checkStoredObject(ref.key, parseLineObject(ref));
    } catch (e) {
      if (e instanceof SyntaxError) throw this.corrupt(`object ${ref.key} is not valid JSON (${e.message})`);
      if (e instanceof StoreFormatError) throw this.corrupt(e.message);
      throw e;
    }
  }

  /** What `read` returns; a damaged line it finds is reported as a damaged store. */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (err instanceof StoreFormatError) throw this.corrupt(err.message);
      throw err;
    }
  }

  private corrupt(detail: string): StoreCorruptError {
    return new StoreCorruptError(this.file ? corruptStoreMessage(this.file, detail) : detail);
  }

  private summaryOf(resource: string, entry: Entry): Summary {
    entry.summary ??= entry.obj ? summarize(resource, entry.obj) : this.lineSummary(entry.ref!);
    return entry.summary;
  }

  private lineSummary(ref: LineRef): Summary {
    try {
      return parseLineSummary(ref);
    } catch (e) {
      throw this.corrupt(`object ${ref.key} has an invalid summary (${(e as Error).message})`);
    }
  }

  // ------------------------------------------------------------ reads

  get<T extends KObject = KObject>(resource: string, namespace: string, name: string): T | undefined {
    const entry = this.tableOf(resource)?.get(namespace)?.get(name);
    return entry ? (this.decode(entry) as T) : undefined;
  }

  has(resource: string, namespace: string, name: string): boolean {
    return this.tableOf(resource)?.get(namespace)?.has(name) ?? false;
  }

  /** Entries of a resource, in etcd key order, optionally in one namespace. */
  private *entries(resource: string, namespace?: string): Generator<[string, string, Entry]> {
    const t = this.tableOf(resource);
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
      let sorted = this.sortedNames.get(names);
      if (!sorted) {
        // The default order is compareKeys' (UTF-16 units), without a call per comparison.
        sorted = [...names.keys()].sort();
        this.sortedNames.set(names, sorted);
      }
      for (const name of sorted) {
        const e = names.get(name);
        if (e) yield [ns, name, e];
      }
    }
  }

  list<T extends KObject = KObject>(resource: string, namespace?: string): T[] {
    const out: T[] = [];
    for (const [, , e] of this.entries(resource, namespace)) out.push(this.decode(e) as T);
    return out;
  }

  /**
   * `derive` of each object of a resource, in key order, optionally in one namespace. What was
   * derived from an object is kept in `memo` (the caller's, keyed by the stored version) and
   * reused while the object is not written again, so a value that each round needs from every
   * object (the service-link variables of a namespace's Services) costs a decode only for the
   * objects that changed.
   */
  derive<T>(resource: string, namespace: string | undefined, memo: WeakMap<object, T>, derive: (obj: KObject) => T): T[] {
    const out: T[] = [];
    for (const [, , e] of this.entries(resource, namespace)) {
      let value = memo.get(e);
      if (value === undefined && !memo.has(e)) {
        value = derive(this.decode(e));
        memo.set(e, value);
      }
      out.push(value as T);
    }
    return out;
  }

  /**
   * Visit every object of a resource without keeping the decoded copies (for big read-only
   * listings: memory stays bounded by one object at a time).
   */
  scan(resource: string, namespace: string | undefined, visit: (obj: KObject) => void): void {
    const untouched = this.eachStoredLine(resource, namespace, (buf, start, end) => visit(this.reading(() => readStoredLine(buf, start, end))));
    if (untouched) return;
    for (const [, , e] of this.entries(resource, namespace)) {
      if (e.obj) visit(e.obj);
      else if (hasLine(e)) visit(parseEncodedLine(encodedLine(e)!));
      else visit(this.readRef(e.ref!));
    }
  }

  /**
   * Visit every object of a resource by its name, namespace and summary, in key order, without
   * decoding it: `object()` decodes it for a visitor the summary does not serve (for listings
   * that read only what the summary keeps, such as the pods table).
   */
  scanSummaries(
    resource: string,
    namespace: string | undefined,
    visit: (namespace: string, name: string, summary: Summary, object: () => KObject) => void,
  ): void {
    const untouched = this.eachStoredLine(resource, namespace, (buf, start, end) => {
      const [ref, ns, name] = this.reading(() => {
        const line = lineRef(buf, start, end);
        return [line, ...splitKey(line.key)] as const;
      });
      visit(ns, name, this.lineSummary(ref), () => this.readRef(ref));
    });
    if (untouched) return;
    for (const [ns, name, e] of this.entries(resource, namespace)) {
      visit(ns, name, this.summaryOf(resource, e), () => this.decode(e));
    }
  }

  /**
   * For a resource untouched since it was read and stored in key order: go through its lines as
   * they are (of one namespace, if given), building nothing, and return true. Otherwise false.
   */
  private eachStoredLine(resource: string, namespace: string | undefined, visit: (buf: Buffer, start: number, end: number) => void): boolean {
    const lines = this.pending.get(resource)?.lines();
    if (!lines?.sorted) return false;
    const prefix = namespace === undefined ? undefined : Buffer.from(`{"k":"${objectKey(resource, namespace, '')}`);
    for (let i = 0; i < lines.starts.length; i++) {
      const start = lines.starts[i];
      if (prefix && lines.buf.compare(prefix, 0, prefix.length, start, start + prefix.length) !== 0) continue;
      visit(lines.buf, start, lines.ends[i]);
    }
    return true;
  }

  count(resource: string, namespace?: string): number {
    const g = this.pending.get(resource);
    if (g && namespace === undefined) return g.count;
    const t = this.tableOf(resource);
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
    if (!this.labelIndexes.has(resource) && (this.labelQueries.get(resource) ?? 0) === 0) {
      // One query: a raw look for `"key":"value"` in each summary beats building the index.
      this.labelQueries.set(resource, 1);
      const pattern = Buffer.from(`${JSON.stringify(equal[0].key)}:${JSON.stringify(equal[0].values[0])}`);
      const out: T[] = [];
      for (const [, , e] of this.entries(resource, namespace)) {
        if (!e.summary && !e.obj && !hasLine(e) && e.ref) {
          if (e.ref.buf.subarray(e.ref.xStart, e.ref.xEnd).indexOf(pattern) < 0) continue;
        }
        if (matches(selector, this.summaryOf(resource, e).l)) out.push(this.decode(e) as T);
      }
      return out;
    }
    const index = this.labelIndex(resource);
    let smallest: IndexKeys | undefined;
    for (const r of equal) {
      const keys = index.get(`${r.key}=${r.values[0]}`);
      if (!keys) return [];
      if (!smallest || keys.keys.size < smallest.keys.size) smallest = keys;
    }
    return this.fromKeys<T>(resource, smallest!, namespace, (s) => matches(selector, s.l));
  }

  /** Decode the indexed objects in key order, keeping those in `namespace` that pass `test`. */
  private fromKeys<T extends KObject>(
    resource: string,
    keys: IndexKeys,
    namespace: string | undefined,
    test: (s: Summary) => boolean,
  ): T[] {
    const out: T[] = [];
    const t = this.tableOf(resource);
    if (keys.sorted || keys.asked++ > 0) {
      for (const [, ns, name] of sortedKeys(keys)) {
        if (namespace !== undefined && ns !== namespace) continue;
        const e = t?.get(ns)?.get(name);
        if (e && test(this.summaryOf(resource, e))) out.push(this.decode(e) as T);
      }
      return out;
    }
    // Asked for once since it changed (an event recorder's look-up, before the object's next
    // event): test first, and sort only what passes, which is usually nothing.
    const found: [string, Entry][] = [];
    for (const key of keys.keys) {
      const slash = key.indexOf('/');
      const ns = key.slice(0, slash);
      if (namespace !== undefined && ns !== namespace) continue;
      const e = t?.get(ns)?.get(key.slice(slash + 1));
      if (e && test(this.summaryOf(resource, e))) found.push([key, e]);
    }
    if (found.length > 1) found.sort((a, b) => compareKeys(a[0], b[0]));
    for (const [, e] of found) out.push(this.decode(e) as T);
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

  /**
   * Events about one object (its kind, name and uid as the event's involvedObject names them),
   * optionally only those with a given reason (decided from the summaries, before decoding).
   */
  eventsAbout<T extends KObject = KObject>(namespace: string, kind: string, name: string, uid: string, reason?: string): T[] {
    if (!this.involvedIndex) this.involvedIndex = this.buildIndex('events', involvedKeys);
    const keys = this.involvedIndex.get(uid);
    const about = (s: Summary) => s.i?.[0] === kind && s.i[1] === name && (reason === undefined || s.i[3] === reason);
    return keys ? this.fromKeys<T>('events', keys, namespace, about) : [];
  }

  /** Keep built indexes in step with a write. */
  private reindex(resource: string, key: string, before: Summary | undefined, after: Summary | undefined): void {
    if (resource === 'pods' && this.nodePods) {
      const was = activeOn(before);
      const is = activeOn(after);
      if (was !== is) {
        if (was !== undefined) this.nodePods.set(was, (this.nodePods.get(was) ?? 0) - 1);
        if (is !== undefined) this.nodePods.set(is, (this.nodePods.get(is) ?? 0) + 1);
      }
    }
    if (resource === 'events' && this.involvedIndex && !jsonEqual(before?.i, after?.i)) {
      for (const v of involvedKeys(before ?? {})) removeFromIndex(this.involvedIndex, v, key);
      for (const v of involvedKeys(after ?? {})) addToIndex(this.involvedIndex, v, key);
    }
    // Most writes (status updates, bindings) keep labels and owners: nothing to re-index then.
    const labels = this.labelIndexes.get(resource);
    if (labels && !jsonEqual(before?.l, after?.l)) {
      for (const v of labelPairs(before ?? {})) removeFromIndex(labels, v, key);
      for (const v of labelPairs(after ?? {})) addToIndex(labels, v, key);
    }
    const owners = this.ownerIndexes.get(resource);
    if (owners && !jsonEqual(before?.r, after?.r)) {
      for (const v of before?.r ?? []) removeFromIndex(owners, v, key);
      for (const v of after?.r ?? []) addToIndex(owners, v, key);
    }
  }

  /**
   * Pods bound to each node that are not finished (Succeeded or Failed): counted on first use,
   * then kept up to date by every write, so the scheduler need not count them again each round.
   */
  activePodsPerNode(): ReadonlyMap<string, number> {
    if (!this.nodePods) {
      const counts = new Map<string, number>();
      this.eachSummary('pods', (s) => {
        const node = activeOn(s);
        if (node !== undefined) counts.set(node, (counts.get(node) ?? 0) + 1);
      });
      this.nodePods = counts;
    }
    return this.nodePods;
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

  /** Names and summaries (no decoding), in key order. */
  summariesWithNames(resource: string, namespace?: string): { namespace: string; name: string; summary: Summary }[] {
    const out: { namespace: string; name: string; summary: Summary }[] = [];
    for (const [ns, name, e] of this.entries(resource, namespace)) out.push({ namespace: ns, name, summary: this.summaryOf(resource, e) });
    return out;
  }

  /** Visit every summary of a resource in no particular order (no decoding, no sorting). */
  eachSummary(resource: string, visit: (s: Summary) => void): void {
    const t = this.tableOf(resource);
    if (!t) return;
    for (const names of t.values()) for (const e of names.values()) visit(this.summaryOf(resource, e));
  }

  resources(): string[] {
    return [...this.order];
  }

  namespacesOf(resource: string): string[] {
    const t = this.tableOf(resource);
    return [...(t?.keys() ?? [])].filter((ns) => t!.get(ns)!.size > 0);
  }

  // ------------------------------------------------------------ writes

  /** How many times objects of this resource were written or removed in this state. */
  writeCount(resource: string): number {
    return this.writeCounts.get(resource) ?? 0;
  }

  private counted(resource: string): void {
    this.writeCounts.set(resource, this.writeCount(resource) + 1);
  }

  /** The next cluster-wide resourceVersion (etcd's revision). */
  nextResourceVersion(): string {
    this.meta.resourceVersion += 1;
    this.modified = true;
    return String(this.meta.resourceVersion);
  }

  /**
   * Store an object as is (the caller has set its metadata) and record the change. Returns the
   * stored object. The API layer and the controllers decide what the object contains. A writer
   * that knows the object's exact shape may pass `write`, writing what JSON.stringify would
   * (used for the objects encoded at once, such as events).
   */
  put(resource: string, obj: KObject, write?: ObjectWriter): KObject {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name!;
    const names = this.namesIn(resource, ns);
    const prev = names.get(name);
    obj.metadata.resourceVersion = this.nextResourceVersion();
    this.intactBlocks.delete(resource);
    if (WRITE_ONCE.has(resource)) {
      const summary = summarize(resource, obj);
      const entry: Entry = { summary, dirty: true };
      this.slabs.write(entry, objectKey(resource, ns, name), obj, summary, write);
      this.reindex(resource, `${ns}/${name}`, prev && this.summaryOf(resource, prev), summary);
      if (!prev) this.sortedNames.delete(names);
      names.set(name, entry);
      this.counted(resource);
      return obj;
    }
    const old = prev ? this.decode(prev) : undefined;
    if (!old && obj.metadata.uid) this.createdUids.set(obj.metadata.uid, ++this.creations);
    const entry: Entry = { obj, dirty: true };
    this.written.push([resource, ns, name, entry]);
    this.reindex(resource, `${ns}/${name}`, prev && this.summaryOf(resource, prev), this.summaryOf(resource, entry));
    if (!prev) this.sortedNames.delete(names);
    names.set(name, entry);
    this.counted(resource);
    this.changeLog.push({ type: old ? 'MODIFIED' : 'ADDED', resource, namespace: ns, name, object: obj, old });
    return obj;
  }

  /** How many objects were created in this state so far (see createdAfter). */
  creationCount(): number {
    return this.creations;
  }

  /** Whether the object with this uid was created in this state after the first `count` creations. */
  createdAfter(uid: string, count: number): boolean {
    return (this.createdUids.get(uid) ?? 0) > count;
  }

  /** Remove an object; returns what was stored, or undefined. */
  remove(resource: string, namespace: string, name: string): KObject | undefined {
    const names = this.tableOf(resource)?.get(namespace);
    const entry = names?.get(name);
    if (!entry) return undefined;
    const old = this.decode(entry);
    this.intactBlocks.delete(resource);
    this.reindex(resource, `${namespace}/${name}`, this.summaryOf(resource, entry), undefined);
    names!.delete(name);
    this.sortedNames.delete(names!);
    this.counted(resource);
    this.nextResourceVersion();
    this.changeLog.push({ type: 'DELETED', resource, namespace, name, object: old, old });
    return old;
  }

  /** Remove without recording a change (expired events). */
  expire(resource: string, namespace: string, name: string): void {
    const names = this.tableOf(resource)?.get(namespace);
    const entry = names?.get(name);
    if (!entry) return;
    this.intactBlocks.delete(resource);
    this.reindex(resource, `${namespace}/${name}`, this.summaryOf(resource, entry), undefined);
    names!.delete(name);
    this.sortedNames.delete(names!);
    this.modified = true;
  }

  /** Changes recorded since the last call. */
  drainChanges(): Change[] {
    const c = this.changeLog;
    this.changeLog = [];
    return c;
  }

  /**
   * Keep what was written so far as store lines and let the decoded objects go: a command that
   * writes tens of thousands of objects (a big apply) then holds compact lines rather than object
   * graphs. Objects decoded again later are decoded from these lines, and lines are what the
   * store file gets, so nothing is encoded twice. Call it between reconciles, when no change is
   * pending.
   */
  compact(): void {
    for (const [resource, ns, name, e] of this.written) {
      const current = this.tableOf(resource)?.get(ns)?.get(name);
      if (current !== e || e.obj === undefined || hasLine(e)) continue;
      e.summary ??= summarize(resource, e.obj);
      this.slabs.write(e, objectKey(resource, ns, name), e.obj, e.summary);
      e.obj = undefined;
    }
    this.written = [];
    for (const e of this.decoded) if (e.ref !== undefined || hasLine(e)) e.obj = undefined;
    this.decoded = [];
  }

  // ------------------------------------------------------------ encoding

  /**
   * Each resource's object lines for the store file, in file order: unchanged objects as they
   * were stored, a resource that was never used as its stored block (or the range of the file it
   * is in). Separators between the lines of a resource are included; empty resources are left out.
   */
  *encodeResources(): Generator<{ resource: string; count: number; pieces: Iterable<Buffer | string | FileRange | SpilledLine> }> {
    for (const resource of this.order) {
      const g = this.pending.get(resource);
      if (g) {
        yield { resource, count: g.count, pieces: [g.block()] };
        continue;
      }
      const t = this.tables.get(resource);
      if (!t) continue;
      let count = 0;
      for (const names of t.values()) count += names.size;
      const intact = this.intactBlocks.get(resource);
      if (intact && count > 0) yield { resource, count, pieces: [intact] };
      else if (count > 0) yield { resource, count, pieces: this.encodeTable(resource) };
    }
  }

  /** A table's lines in key order, so later reads can stream them without sorting. */
  private *encodeTable(resource: string): Generator<Buffer | string | SpilledLine> {
    let first = true;
    for (const [ns, name, e] of this.entries(resource)) {
      if (!first) yield ',\n';
      first = false;
      if (!e.dirty && e.ref) yield lineBytes(e.ref);
      else if (e.line !== undefined) yield e.line;
      else if (e.slab !== undefined) {
        const slab = e.slab;
        yield slab.buf ? slab.buf.subarray(e.at!, e.at! + e.len!) : { spill: slab.spill!, at: slab.base + e.at!, length: e.len! };
      }
      else yield encodeLine(objectKey(resource, ns, name), resource, e.obj!);
    }
  }
}

/** Size of the slabs encoded lines are cut from. */
const SLAB = 1 << 20;

/**
 * Encoded lines, cut from a slab: a buffer per line costs an allocation and a wrapper each, and
 * Buffer.from's 8 KiB pool wastes a third of each slab on 3 KiB pod lines. A full slab goes to
 * the spill file and the lines cut from it are read from there when needed, so a command that
 * writes tens of thousands of objects keeps one slab of them in memory.
 */
class LineSlabs {
  private readonly slab = Buffer.allocUnsafeSlow(SLAB);
  private used = 0;
  /** The fill of the slab that lines are being cut from. */
  private fill: Slab = { buf: this.slab, spill: undefined, base: 0 };
  private spill: Spill | undefined;

  /** The line being written: in `buf` (the slab, or a buffer of its own), from `start` to `at`. */
  private buf: Buffer = this.slab;
  private start = 0;
  private at = 0;

  /** Write the object's store line into the slab and make it the entry's line. */
  write(entry: Entry, key: string, obj: KObject, summary: Summary, write?: ObjectWriter): void {
    this.buf = this.slab;
    this.start = this.at = this.used;
    writeLine(this.out, key, obj, summary, write);
    if (this.buf === this.slab) {
      entry.slab = this.fill;
      entry.at = this.start;
      entry.len = this.at - this.start;
      entry.line = undefined;
      this.used = this.at;
    } else {
      entry.slab = undefined;
      entry.line = this.buf.subarray(0, this.at);
    }
  }

  /** Make room for `n` more bytes of the line being written. */
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const written = this.at - this.start;
    if (this.buf === this.slab && written + n <= SLAB / 8) {
      // The slab is full: store what precedes this line and start the next slab with it.
      this.used = this.start;
      this.spillSlab();
      this.slab.copyWithin(0, this.start, this.at);
    } else {
      // A line bigger than an eighth of a slab gets a buffer of its own (with room for the
      // closing pieces that usually follow, more being copied again).
      const own = Buffer.allocUnsafeSlow(written + n + 4096);
      this.buf.copy(own, 0, this.start, this.at);
      this.buf = own;
    }
    this.start = 0;
    this.at = written;
  }

  private readonly out: JsonOut = {
    raw: (bytes) => {
      this.room(bytes.length);
      this.buf.set(bytes, this.at);
      this.at += bytes.length;
    },
    text: (json) => {
      // UTF-8 takes at most three bytes per UTF-16 unit; the text is measured only when that
      // much room is not left.
      let n = 3 * json.length;
      if (this.at + n > this.buf.length) n = Buffer.byteLength(json);
      this.room(n);
      this.at += this.buf.write(json, this.at);
    },
    sized: (between, write) => {
      // Room for the longest length there can be; what was written moves back over the digits
      // the length did not need.
      const reserve = 10 + between.length;
      this.room(reserve);
      const lengthAt = this.at - this.start;
      this.at += reserve;
      write();
      // offsets from the line's start: the line may have moved to the next slab meanwhile
      const from = this.start + lengthAt + reserve;
      const length = this.at - from;
      const digits = String(length);
      let at = this.start + lengthAt;
      at += this.buf.write(digits, at, 'latin1');
      this.buf.set(between, at);
      at += between.length;
      this.buf.copyWithin(at, from, this.at);
      this.at = at + length;
    },
    string: (s) => {
      if (typeof s !== 'string') {
        this.out.text(JSON.stringify(s) ?? 'null');
        return;
      }
      // Most strings are ASCII names, copied a unit at a time (quicker than a call into the
      // encoder for strings this short); the first character JSON escapes, or that UTF-8 takes
      // more than a byte for, hands the whole string to JSON.stringify and the encoder instead.
      this.room(s.length + 2);
      const buf = this.buf;
      const begin = this.at;
      let at = begin;
      buf[at++] = 0x22;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) {
          this.at = begin;
          this.out.text(JSON.stringify(s));
          return;
        }
        buf[at++] = c;
      }
      buf[at++] = 0x22;
      this.at = at;
    },
  };

  private spillSlab(): void {
    this.spill ??= Spill.open();
    // The lines cut from this fill now live in the spill file; the next fill reuses the bytes.
    this.fill.base = this.spill.append(this.slab.subarray(0, this.used));
    this.fill.spill = this.spill;
    this.fill.buf = undefined;
    this.fill = { buf: this.slab, spill: undefined, base: 0 };
    this.used = 0;
  }
}

/** An entry's encoded line, from memory or from the spill file. */
function encodedLine(e: Entry): Buffer | undefined {
  if (e.line !== undefined) return e.line;
  const slab = e.slab;
  if (slab === undefined) return undefined;
  return slab.buf ? slab.buf.subarray(e.at!, e.at! + e.len!) : slab.spill!.read(slab.base + e.at!, e.len!);
}

/** The node a pod summary is bound to, when the pod is not finished. */
function activeOn(s: Summary | undefined): string | undefined {
  return s?.n && s.p !== 'Succeeded' && s.p !== 'Failed' ? s.n : undefined;
}

/** Events are indexed by the uid of the object they are about (kind and name are checked after). */
function involvedKeys(s: Summary): string[] {
  return s.i ? [s.i[2]] : [];
}

function labelPairs(s: Summary): string[] {
  return s.l ? Object.entries(s.l).map(([k, v]) => `${k}=${v}`) : [];
}

function sortedKeys(entry: IndexKeys): [key: string, namespace: string, name: string][] {
  if (!entry.sorted) {
    // The default order is compareKeys' (UTF-16 units), without a call per comparison.
    entry.sorted = [...entry.keys].sort().map((k) => {
      const slash = k.indexOf('/');
      return [k, k.slice(0, slash), k.slice(slash + 1)];
    });
  }
  return entry.sorted;
}

function addToIndex(index: Index, value: string, key: string): void {
  let entry = index.get(value);
  if (!entry) {
    entry = { keys: new Set(), sorted: undefined, asked: 0 };
    index.set(value, entry);
  }
  if (entry.keys.has(key)) return;
  entry.keys.add(key);
  entry.sorted = undefined;
  entry.asked = 0;
}

function removeFromIndex(index: Index, value: string, key: string): void {
  const entry = index.get(value);
  if (!entry?.keys.delete(key)) return;
  entry.sorted = undefined;
  entry.asked = 0;
  if (entry.keys.size === 0) index.delete(value);
}

/**
 * The store file format.
 *
 * The file is one JSON document, laid out one object per line so a command can index it without
 * parsing it, decode only the kinds it touches, and write unchanged objects back byte for byte:
 *
 *   {"kfake":"cluster-store","formatVersion":1,
 *   "meta":{...cluster settings, resourceVersion counter, allocations...},
 *   "objects":[
 *   {"k":"pods/default/web-abc","xl":57,"x":{...summary...},"o":{...the object, wire format...}},
 *   ...
 *   {"k":"services/default/web","xl":12,"x":{...},"o":{...}}
 *   ],
 *   "index":{"pods":[start,end,count],"services":[...]}}
 *
 * `k` is `<resource>/<namespace>/<name>` (namespace empty for cluster-scoped kinds). `x` is a
 * summary derived from the object when it was written (uid, labels, owner uids, node, ...), so
 * controllers can find the pods a selector matches without decoding every pod; `xl` is the
 * summary's byte length, which locates `"o":` exactly whatever the labels contain. The lines of a
 * resource are together, and `index` (written last, read first) gives each resource's byte range
 * and line count: a command reads the head, the tail and the blocks it uses, and copies the rest
 * into the next version without reading it into memory.
 */
import type { KObject } from '../api/types.ts';
import { printerFor } from '../printers/columns/index.ts';

export const FORMAT_NAME = 'cluster-store';
export const FORMAT_VERSION = 1;

/** Derived data kept beside each object (never authoritative: recomputed on every write). */
export interface Summary {
  /** metadata.labels */
  l?: Record<string, string>;
  /** uids of metadata.ownerReferences */
  r?: string[];
  /** Pods: spec.nodeName */
  n?: string;
  /** Pods: status.phase */
  p?: string;
  /** Events: involvedObject kind, name and uid, and the reason */
  i?: [string, string, string, string];
  /** Events: last-seen time in ms (for the event TTL) */
  t?: number;
  /**
   * The clock-free part of the object's `kubectl get` row, for the kinds whose printer keeps one
   * (pods): a listing reads it instead of decoding the object. JSON scalars only.
   */
  w?: readonly (string | number | null)[];
}

export function summarize(resource: string, obj: KObject): Summary {
  const m = obj.metadata;
  const s: Summary = {};
  if (m.labels && Object.keys(m.labels).length) s.l = m.labels;
  if (m.ownerReferences?.length) s.r = m.ownerReferences.map((o) => o.uid);
  if (resource === 'pods') {
    const spec = obj.spec as { nodeName?: string } | undefined;
    const status = obj.status as { phase?: string } | undefined;
    if (spec?.nodeName) s.n = spec.nodeName;
    if (status?.phase) s.p = status.phase;
  } else if (resource === 'events') {
    const io = (obj.involvedObject ?? {}) as { kind?: string; name?: string; uid?: string };
    s.i = [io.kind ?? '', io.name ?? '', io.uid ?? '', String(obj.reason ?? '')];
    const last = (obj.lastTimestamp ?? obj.eventTime ?? obj.firstTimestamp ?? m.creationTimestamp) as string | undefined;
    if (last) s.t = parseTime(last);
  }
  const row = printerFor(resource).stored?.of(obj);
  if (row !== undefined) s.w = row as Summary['w'];
  return s;
}

/** The last time parsed: the events one command records all carry its clock's time. */
let lastTimeText = '';
let lastTime = NaN;

function parseTime(text: string): number {
  if (text !== lastTimeText) {
    lastTime = Date.parse(text);
    lastTimeText = text;
  }
  return lastTime;
}

export function objectKey(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

/** The namespace and name of an object key; a key without both is a damaged line. */
export function splitKey(key: string): [namespace: string, name: string] {
  const a = key.indexOf('/');
  const b = key.indexOf('/', a + 1);
  if (a < 0 || b < 0) throw new StoreFormatError('corrupt', `object key "${key}" is malformed`);
  return [key.slice(a + 1, b), key.slice(b + 1)];
}

/**
 * Where a store line's JSON is written to, piece by piece: a slab of bytes when lines are stored
 * (see LineSlabs in state.ts), or a string. Writing pieces straight into bytes spares the strings
 * a concatenation would build and V8 would then flatten, only for them to be copied once more.
 */
export interface JsonOut {
  /** Bytes that are JSON already (the constant parts of a line, cached sub-objects). */
  raw(bytes: Uint8Array): void;
  /** Text that is JSON already. */
  text(json: string): void;
  /** A string value as JSON.stringify writes it (a missing one as null). */
  string(s: string | null | undefined): void;
  /**
   * The byte length of what `write` writes, in decimal, then `between`, then what it wrote (the
   * summary's length comes before the summary).
   */
  sized(between: Uint8Array, write: () => void): void;
}

/** Writes an object as JSON into a JsonOut. */
export type ObjectWriter = (obj: KObject, out: JsonOut) => void;

const writeStringified: ObjectWriter = (obj, out) => out.text(JSON.stringify(obj));

/** ASCII bytes of a constant piece of JSON. */
export function jsonBytes(json: string): Buffer {
  return Buffer.from(json, 'latin1');
}

const LINE_KEY = jsonBytes('{"k":');
const LINE_XL = jsonBytes(',"xl":');
const LINE_X = jsonBytes(',"x":');
const LINE_O = jsonBytes(',"o":');

/**
 * One object line (without the separating comma and newline), written by `write` (JSON.stringify
 * unless a writer that knows the object's shape is given).
 */
export function writeLine(out: JsonOut, key: string, obj: KObject, summary: Summary, write: ObjectWriter = writeStringified): void {
  out.raw(LINE_KEY);
  out.string(key);
  out.raw(LINE_XL);
  out.sized(LINE_X, () => writeSummary(out, summary));
  out.raw(LINE_O);
  write(obj, out);
  out.raw(CLOSE);
}

/** A JsonOut that builds a string. */
export class JsonText implements JsonOut {
  json = '';
  raw(bytes: Uint8Array): void {
    this.json += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  }
  text(json: string): void {
    this.json += json;
  }
  string(s: string | null | undefined): void {
    this.json += jsonString(s);
  }
  sized(between: Uint8Array, write: () => void): void {
    const before = this.json;
    this.json = '';
    write();
    const written = this.json;
    this.json = before;
    this.text(String(Buffer.byteLength(written)));
    this.raw(between);
    this.text(written);
  }
}

/** What `fill` writes, as a string. */
function asText(fill: (out: JsonOut) => void): string {
  const out = new JsonText();
  fill(out);
  return out.json;
}

/** Encode one object line (without the separating comma and newline). */
export function encodeLine(key: string, resource: string, obj: KObject): string {
  return asText((out) => writeLine(out, key, obj, summarize(resource, obj)));
}

/** What `write` writes for `obj`, as a string. */
export function jsonWith(write: ObjectWriter, obj: KObject): string {
  return asText((out) => write(obj, out));
}

/** Characters JSON.stringify writes other than as themselves. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its per-call cost for the plain names most strings are. */
export function jsonString(s: unknown): string {
  if (typeof s === 'string' && !NEEDS_ESCAPE.test(s)) return `"${s}"`;
  // what JSON.stringify writes for it inside an array (a missing value is null there)
  return JSON.stringify(s) ?? 'null';
}

const OPEN = jsonBytes('{');
const CLOSE = jsonBytes('}');
const OPEN_LIST = jsonBytes('[');
const CLOSE_LIST = jsonBytes(']');
const COMMA_BYTES = jsonBytes(',');
const COLON = jsonBytes(':');
/** Each summary field's name, as the first field and after another. */
const SUMMARY_FIELDS = Object.fromEntries(
  ['l', 'r', 'n', 'p', 'i', 't', 'w'].map((f) => [f, [jsonBytes(`"${f}":`), jsonBytes(`,"${f}":`)]]),
) as Record<keyof Summary, [Buffer, Buffer]>;

function writeStrings(out: JsonOut, list: readonly (string | undefined)[]): void {
  out.raw(OPEN_LIST);
  for (let i = 0; i < list.length; i++) {
    if (i) out.raw(COMMA_BYTES);
    out.string(list[i]);
  }
  out.raw(CLOSE_LIST);
}

/**
 * JSON.stringify(summary), written out by hand: every stored line has a summary, and for most
 * of them the generic serializer's set-up costs more than the few fields it writes.
 */
export function writeSummary(out: JsonOut, s: Summary): void {
  let n = 0;
  out.raw(OPEN);
  if (s.l !== undefined) {
    out.raw(SUMMARY_FIELDS.l[n++ && 1]);
    out.raw(OPEN);
    let first = true;
    for (const k in s.l) {
      if (s.l[k] === undefined) continue;
      if (!first) out.raw(COMMA_BYTES);
      first = false;
      out.string(k);
      out.raw(COLON);
      out.string(s.l[k]);
    }
    out.raw(CLOSE);
  }
  if (s.r !== undefined) {
    out.raw(SUMMARY_FIELDS.r[n++ && 1]);
    writeStrings(out, s.r);
  }
  if (s.n !== undefined) {
    out.raw(SUMMARY_FIELDS.n[n++ && 1]);
    out.string(s.n);
  }
  if (s.p !== undefined) {
    out.raw(SUMMARY_FIELDS.p[n++ && 1]);
    out.string(s.p);
  }
  if (s.i !== undefined) {
    out.raw(SUMMARY_FIELDS.i[n++ && 1]);
    writeStrings(out, s.i);
  }
  if (s.t !== undefined) {
    out.raw(SUMMARY_FIELDS.t[n++ && 1]);
    out.text(Number.isFinite(s.t) ? String(s.t) : 'null');
  }
  if (s.w !== undefined) {
    out.raw(SUMMARY_FIELDS.w[n++ && 1]);
    out.raw(OPEN_LIST);
    for (let i = 0; i < s.w.length; i++) {
      if (i) out.raw(COMMA_BYTES);
      const v = s.w[i];
      if (typeof v === 'string') out.string(v);
      else out.text(typeof v === 'number' && Number.isFinite(v) ? String(v) : 'null');
    }
    out.raw(CLOSE_LIST);
  }
  out.raw(CLOSE);
}

export function encodeSummary(s: Summary): string {
  return asText((out) => writeSummary(out, s));
}

export function headerLine(): string {
  return `{"kfake":"${FORMAT_NAME}","formatVersion":${FORMAT_VERSION},`;
}

/** One indexed line of a store file: where its summary and object start. */
export interface LineRef {
  key: string;
  buf: Buffer;
  /** Byte offset of the line start. */
  start: number;
  /** Byte offset just past the closing brace of the line (comma excluded). */
  end: number;
  /** Byte offsets of the summary JSON. */
  xStart: number;
  xEnd: number;
}

export class StoreFormatError extends Error {
  /** 'corrupt' or 'version' */
  readonly kind: 'corrupt' | 'version';
  constructor(kind: 'corrupt' | 'version', message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * The object lines of one resource: kfake writes each resource's lines together, so they are
 * one contiguous range of the file, kept as raw offsets until the resource is first used.
 */
export interface ResourceLines {
  resource: string;
  buf: Buffer;
  /** Line starts and ends (end excludes the separating comma). */
  starts: number[];
  ends: number[];
  /** The whole block, from the first line's start to the last line's end. */
  blockStart: number;
  blockEnd: number;
  /** The lines are in key order (kfake writes them so; a file edited by hand may not be). */
  sorted: boolean;
}

/** Whether the key of the line at `b` sorts after the key of the line at `a` (bytewise, as etcd's keys). */
function keyAfter(buf: Buffer, a: number, b: number): boolean {
  const aEnd = buf.indexOf(QUOTE, a + 6);
  const bEnd = buf.indexOf(QUOTE, b + 6);
  // buf.compare compares its own range (the last two arguments) with the target's
  return buf.compare(buf, a + 6, aEnd, b + 6, bEnd) > 0;
}

/** A range of the store file to copy into the next version unchanged. */
export interface FileRange {
  resource: string;
  src: ByteSource;
  start: number;
  end: number;
  /** Lines in the range: it must hold exactly count - 1 newlines. */
  count: number;
}

/**
 * One resource as stored, not yet decoded: its lines are located (and checked) on first use,
 * and an unused resource is copied to the next version as one block.
 */
export interface StoredResource {
  resource: string;
  count: number;
  lines(): ResourceLines;
  /** The block's bytes, or where they are in the file when they were never read. */
  block(): Buffer | FileRange;
}

/** Where the objects of each resource are: `resource -> [start, end, count]` (byte offsets). */
export type BlockIndex = Record<string, [number, number, number]>;

export interface DecodedStore<M> {
  meta: M;
  resources: StoredResource[];
}

const NL = 10;
const COMMA = 44;
const QUOTE = 34;
const SLASH = 47;

function lineError(n: number, what: string): StoreFormatError {
  return new StoreFormatError('corrupt', `line ${n}: ${what}`);
}

/** Whether `buf` holds the ASCII `text` at `pos`. */
function bytesAt(buf: Buffer, pos: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Check one object line's frame; returns the summary's start and end offsets. */
function checkLine(buf: Buffer, start: number, objEnd: number, lineNo: number): [number, number] {
  if (buf[objEnd - 1] !== 125) throw lineError(lineNo, 'not an object line');
  if (!bytesAt(buf, start, '{"k":"')) throw lineError(lineNo, 'object line without a key');
  const keyEnd = buf.indexOf(QUOTE, start + 6);
  if (keyEnd < 0 || keyEnd > objEnd) throw lineError(lineNo, 'unterminated key');
  if (!bytesAt(buf, keyEnd + 1, ',"xl":')) throw lineError(lineNo, 'missing summary length');
  let p = keyEnd + 7;
  let xl = 0;
  while (buf[p] >= 48 && buf[p] <= 57 && p - keyEnd < 20) xl = xl * 10 + (buf[p++] - 48);
  if (xl < 2 || !bytesAt(buf, p, ',"x":')) throw lineError(lineNo, 'bad summary length');
  const xStart = p + 5;
  const xEnd = xStart + xl;
  if (xEnd + 5 >= objEnd || !bytesAt(buf, xEnd, ',"o":')) throw lineError(lineNo, 'missing object');
  return [xStart, xEnd];
}

/** A line's reference once its resource is used: key and summary located. */
export function lineRef(buf: Buffer, start: number, end: number): LineRef {
  const keyEnd = buf.indexOf(QUOTE, start + 6);
  const [xStart, xEnd] = checkLine(buf, start, end, 0);
  return { key: buf.toString('utf8', start + 6, keyEnd), buf, start, end, xStart, xEnd };
}

/** The head of a store: header, cluster settings and the line opening the objects. */
interface Head<M> {
  meta: M;
  /** Offset of the first object line. */
  objectsStart: number;
}

/**
 * Parse the head from the first bytes of the file. Returns undefined when `buf` ends before the
 * head does (the caller reads more); a head that is wrong is an error.
 */
function parseHead<M>(buf: Buffer, complete: boolean): Head<M> | undefined {
  if (buf.length === 0) throw new StoreFormatError('corrupt', 'the file is empty');
  const nl1 = buf.indexOf(NL);
  if (nl1 < 0 && !complete) return undefined;
  const header = buf.toString('utf8', 0, nl1 < 0 ? Math.min(buf.length, 200) : nl1);
  const hm = /^\{"kfake":"([^"]*)","formatVersion":(-?\d+),$/.exec(header);
  if (!hm || hm[1] !== FORMAT_NAME) throw lineError(1, 'not a kfake cluster store');
  const version = Number(hm[2]);
  if (version !== FORMAT_VERSION) {
    throw new StoreFormatError(
      'version',
      `format version ${version} is not supported (this kfake reads format version ${FORMAT_VERSION})`,
    );
  }
  const metaStart = nl1 + 1;
  const nl2 = buf.indexOf(NL, metaStart);
  if (nl2 < 0) {
    if (!complete) return undefined;
    throw lineError(2, 'the file ends before the cluster settings');
  }
  if (!bytesAt(buf, metaStart, '"meta":') || buf[nl2 - 1] !== COMMA) throw lineError(2, 'expected the cluster settings');
  const openStart = nl2 + 1;
  if (buf.length < openStart + 12 && !complete) return undefined;
  if (buf[openStart + 11] !== NL || !bytesAt(buf, openStart, '"objects":[')) throw lineError(3, 'expected the objects list');
  let meta: M;
  try {
    meta = JSON.parse(buf.toString('utf8', metaStart + 7, nl2 - 1)) as M;
  } catch (e) {
    throw lineError(2, `the cluster settings are not valid JSON (${(e as Error).message})`);
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw lineError(2, 'the cluster settings are not an object');
  return { meta, objectsStart: openStart + 12 };
}

/** The lines closing the objects list and the document, with the index of the blocks written. */
export function closingLines(index: BlockIndex, anyObjects: boolean): string {
  return `${anyObjects ? '\n' : ''}],\n"index":${JSON.stringify(index)}}\n`;
}

const CLOSE_WITH_INDEX = '],\n"index":';

/**
 * Locate one resource's lines in its block (which starts at line `firstLine` of the file),
 * checking every line's frame, the separators, the keys and the count.
 */
export function scanBlock(buf: Buffer, resource: string, firstLine: number, count: number): ResourceLines {
  const g: ResourceLines = { resource, buf, starts: [], ends: [], blockStart: 0, blockEnd: buf.length, sorted: true };
  const prefix = `{"k":"${resource}/`;
  let pos = 0;
  let lineNo = firstLine;
  while (pos < buf.length) {
    const nl = buf.indexOf(NL, pos);
    const end = nl < 0 ? buf.length : nl;
    let objEnd = end;
    if (nl >= 0) {
      if (buf[end - 1] !== COMMA) throw lineError(lineNo, 'missing comma after the object');
      objEnd = end - 1;
    }
    checkLine(buf, pos, objEnd, lineNo);
    if (!bytesAt(buf, pos, prefix)) throw lineError(lineNo, `expected an object of ${resource}`);
    if (g.sorted && g.starts.length && !keyAfter(buf, g.starts[g.starts.length - 1], pos)) g.sorted = false;
    g.starts.push(pos);
    g.ends.push(objEnd);
    pos = nl < 0 ? buf.length : nl + 1;
    lineNo++;
  }
  if (g.starts.length !== count) {
    throw new StoreFormatError('corrupt', `the index lists ${count} ${resource} but the file holds ${g.starts.length}`);
  }
  return g;
}

/** Random access to the store file's bytes. */
export interface ByteSource {
  size: number;
  /** Bytes [start, end) in a new buffer. */
  read(start: number, end: number): Buffer;
  /** Fill target[0, length) from the file at `position`. */
  readInto(target: Buffer, position: number, length: number): void;
}

/**
 * Open a store through the index at its end: only the head and the tail are read now, and each
 * resource's block when it is first used. Returns undefined when the file has no index, or one
 * that does not tile the objects list exactly (a file edited by hand): the caller then reads
 * and checks the whole file. A head that is wrong is an error either way.
 */
export function openIndexed<M>(src: ByteSource): DecodedStore<M> | undefined {
  let head: Head<M> | undefined;
  for (let n = 64 * 1024; ; n *= 4) {
    const complete = n >= src.size;
    head = parseHead<M>(src.read(0, Math.min(n, src.size)), complete);
    if (head || complete) break;
  }
  if (!head) return undefined;
  const tailStart = Math.max(head.objectsStart, src.size - 64 * 1024);
  const tail = src.read(tailStart, src.size);
  if (tail.length < 2 || tail[tail.length - 1] !== NL || tail[tail.length - 2] !== 125) return undefined;
  const at = tail.lastIndexOf(CLOSE_WITH_INDEX);
  if (at < 0) return undefined;
  const closeAt = tailStart + at;
  let index: BlockIndex;
  try {
    index = JSON.parse(tail.toString('utf8', at + CLOSE_WITH_INDEX.length, tail.length - 2)) as BlockIndex;
  } catch {
    return undefined;
  }
  if (typeof index !== 'object' || index === null || Array.isArray(index)) return undefined;
  // The blocks must tile the list: first at its start, each next after ",\n", the last before "\n],".
  const resources: StoredResource[] = [];
  let expected = head.objectsStart;
  let line = 4;
  for (const [resource, entry] of Object.entries(index)) {
    if (!Array.isArray(entry) || entry.length !== 3 || !entry.every((v) => Number.isSafeInteger(v))) return undefined;
    const [start, end, count] = entry;
    if (start !== expected || end <= start || count < 1) return undefined;
    resources.push(lazyResource(src, resource, start, end, count, line));
    expected = end + 2;
    line += count;
  }
  if (resources.length === 0 ? closeAt !== head.objectsStart : closeAt !== expected - 1) return undefined;
  return { meta: head.meta, resources };
}

function lazyResource(src: ByteSource, resource: string, start: number, end: number, count: number, firstLine: number): StoredResource {
  let lines: ResourceLines | undefined;
  return {
    resource,
    count,
    lines: () => (lines ??= scanBlock(src.read(start, end), resource, firstLine, count)),
    block: () => (lines ? lines.buf : { resource, src, start, end, count }),
  };
}

/**
 * Index a whole store file: check its frame (header, meta, objects array, closing lines) and
 * every object line's frame, parse the meta, and group the lines by resource. Object JSON is
 * not parsed here, and no per-line strings are made.
 */
export function decodeStore<M>(buf: Buffer): DecodedStore<M> {
  const head = parseHead<M>(buf, true)!;
  let pos = head.objectsStart;
  let lineNo = 3;
  const nextLine = (): [number, number] | undefined => {
    if (pos >= buf.length) return undefined;
    const nl = buf.indexOf(NL, pos);
    const start = pos;
    const end = nl < 0 ? buf.length : nl;
    pos = nl < 0 ? buf.length : nl + 1;
    lineNo++;
    return [start, end];
  };

  const groups: ResourceLines[] = [];
  let group: ResourceLines | undefined;
  let closed = false;
  let expectComma = false;
  let count = 0;
  for (let l = nextLine(); l; l = nextLine()) {
    const [start, end] = l;
    if (end - start === 2 && buf[start] === 93 && (buf[start + 1] === 125 || buf[start + 1] === COMMA)) {
      // "]}" closes the document, or "]," and the index line; only an empty tail may follow.
      if (expectComma) throw lineError(lineNo - 1, 'the last object line ends with a comma');
      if (buf[start + 1] === COMMA) {
        const idx = nextLine();
        if (!idx || !bytesAt(buf, idx[0], '"index":') || buf[idx[1] - 1] !== 125) throw lineError(lineNo, 'expected the index of the objects');
      }
      closed = true;
      break;
    }
    if (count > 0 && !expectComma) throw lineError(lineNo - 1, 'missing comma after the object');
    let objEnd = end;
    expectComma = buf[end - 1] === COMMA;
    if (expectComma) objEnd = end - 1;
    checkLine(buf, start, objEnd, lineNo);
    count++;
    // The resource is the key up to its first slash; consecutive lines usually share it.
    const slash = buf.indexOf(SLASH, start + 6);
    if (slash < 0 || slash > objEnd) throw lineError(lineNo, 'object key without a resource');
    const len = slash - (start + 6);
    if (!group || group.resource.length !== len || !bytesAt(buf, start + 6, group.resource)) {
      const resource = buf.toString('latin1', start + 6, slash);
      group = groups.find((g) => g.resource === resource);
      if (group) throw lineError(lineNo, `the lines of ${resource} are not together`);
      group = { resource, buf, starts: [], ends: [], blockStart: start, blockEnd: objEnd, sorted: true };
      groups.push(group);
    } else if (group.sorted && !keyAfter(buf, group.starts[group.starts.length - 1], start)) {
      group.sorted = false;
    }
    group.starts.push(start);
    group.ends.push(objEnd);
    group.blockEnd = objEnd;
  }
  if (!closed) throw new StoreFormatError('corrupt', 'the file is truncated (no closing "]}" line)');
  for (let l = nextLine(); l; l = nextLine()) {
    if (l[1] > l[0]) throw lineError(lineNo, 'unexpected content after the end of the store');
  }
  return {
    meta: head.meta,
    resources: groups.map((g) => ({
      resource: g.resource,
      count: g.starts.length,
      lines: () => g,
      block: () => g.buf.subarray(g.blockStart, g.blockEnd),
    })),
  };
}

/** The object of a line produced by encodeLine (before it was ever written). */
export function parseEncodedLine(line: Buffer): KObject {
  return parseObjectAt(line, 0, line.length);
}

export function parseLineSummary(ref: LineRef): Summary {
  return JSON.parse(ref.buf.toString('utf8', ref.xStart, ref.xEnd)) as Summary;
}

/** The object of the line [start, end) of `buf` (for scans that need no reference to the line). */
export function parseObjectAt(buf: Buffer, start: number, end: number): KObject {
  const [, xEnd] = checkLine(buf, start, end, 0);
  return JSON.parse(buf.toString('utf8', xEnd + 5, end - 1)) as KObject;
}

/** The object of a stored line, checked to be the object its key names. */
export function readStoredLine(buf: Buffer, start: number, end: number): KObject {
  const key = buf.toString('utf8', start + 6, buf.indexOf(QUOTE, start + 6));
  let obj: KObject;
  try {
    obj = parseObjectAt(buf, start, end);
  } catch (e) {
    if (e instanceof SyntaxError) throw new StoreFormatError('corrupt', `object ${key} is not valid JSON (${e.message})`);
    throw e;
  }
  return checkStoredObject(key, obj);
}

/**
 * An object read from the store must be the one its key names: a changed byte can leave valid
 * JSON that is not a Kubernetes object at all, which every printer and controller would trip on.
 */
export function checkStoredObject(key: string, obj: unknown): KObject {
  const [ns, name] = splitKey(key);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new StoreFormatError('corrupt', `object ${key} is not an object`);
  const o = obj as KObject;
  const m = o.metadata as unknown;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') throw new StoreFormatError('corrupt', `object ${key} has no apiVersion or kind`);
  if (typeof m !== 'object' || m === null || o.metadata.name !== name || (o.metadata.namespace ?? '') !== ns) {
    throw new StoreFormatError('corrupt', `object ${key} does not carry its own name and namespace`);
  }
  return o;
}

/** The text of the error for a damaged store: the file, what is wrong, and the ways back. */
export function corruptStoreMessage(file: string, detail: string): string {
  return (
    `the cluster store ${file} is corrupt (${detail}); it was left untouched. ` +
    `Restore the previous good copy with 'cp ${file}.bak ${file}', or start over with 'kfake cluster reset'`
  );
}

export function parseLineObject(ref: LineRef): KObject {
  return JSON.parse(ref.buf.toString('utf8', ref.xEnd + 5, ref.end - 1)) as KObject;
}

/** The bytes of a line as stored (to write it back unchanged). */
export function lineBytes(ref: LineRef): Buffer {
  return ref.buf.subarray(ref.start, ref.end);
}

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
 *   ]}
 *
 * `k` is `<resource>/<namespace>/<name>` (namespace empty for cluster-scoped kinds). `x` is a
 * summary derived from the object when it was written (uid, labels, owner uids, node, ...), so
 * controllers can find the pods a selector matches without decoding every pod; `xl` is the
 * summary's byte length, which locates `"o":` exactly whatever the labels contain.
 */
import type { KObject } from '../api/types.ts';

export const FORMAT_NAME = 'cluster-store';
export const FORMAT_VERSION = 1;

/** Derived data kept beside each object (never authoritative: recomputed on every write). */
export interface Summary {
  /** metadata.uid */
  u?: string;
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
}

export function summarize(resource: string, obj: KObject): Summary {
  const m = obj.metadata;
  const s: Summary = {};
  if (m.uid) s.u = m.uid;
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
    if (last) s.t = Date.parse(last);
  }
  return s;
}

export function objectKey(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

/** Encode one object line (without the separating comma and newline). */
export function encodeLine(key: string, resource: string, obj: KObject): string {
  const x = JSON.stringify(summarize(resource, obj));
  return `{"k":${JSON.stringify(key)},"xl":${Buffer.byteLength(x)},"x":${x},"o":${JSON.stringify(obj)}}`;
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
}

export interface DecodedStore<M> {
  meta: M;
  groups: ResourceLines[];
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

/**
 * Index a store file: check its frame (header, meta, objects array, closing line) and every
 * object line's frame, parse the meta, and group the lines by resource. Object JSON is not
 * parsed here, and no per-line strings are made.
 */
export function decodeStore<M>(buf: Buffer): DecodedStore<M> {
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): [number, number] | undefined => {
    if (pos >= buf.length) return undefined;
    const nl = buf.indexOf(NL, pos);
    const start = pos;
    const end = nl < 0 ? buf.length : nl;
    pos = nl < 0 ? buf.length : nl + 1;
    lineNo++;
    return [start, end];
  };

  const first = nextLine();
  if (!first) throw new StoreFormatError('corrupt', 'the file is empty');
  const header = buf.toString('utf8', first[0], first[1]);
  const hm = /^\{"kfake":"([^"]*)","formatVersion":(-?\d+),$/.exec(header);
  if (!hm || hm[1] !== FORMAT_NAME) throw lineError(1, 'not a kfake cluster store');
  const version = Number(hm[2]);
  if (version !== FORMAT_VERSION) {
    throw new StoreFormatError(
      'version',
      `format version ${version} is not supported (this kfake reads format version ${FORMAT_VERSION})`,
    );
  }

  const metaLine = nextLine();
  if (!metaLine) throw lineError(2, 'the file ends before the cluster settings');
  if (!bytesAt(buf, metaLine[0], '"meta":') || buf[metaLine[1] - 1] !== COMMA) throw lineError(2, 'expected the cluster settings');
  let meta: M;
  try {
    meta = JSON.parse(buf.toString('utf8', metaLine[0] + 7, metaLine[1] - 1)) as M;
  } catch (e) {
    throw lineError(2, `the cluster settings are not valid JSON (${(e as Error).message})`);
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw lineError(2, 'the cluster settings are not an object');

  const open = nextLine();
  if (!open || open[1] - open[0] !== 11 || !bytesAt(buf, open[0], '"objects":[')) throw lineError(3, 'expected the objects list');

  const groups: ResourceLines[] = [];
  let group: ResourceLines | undefined;
  let closed = false;
  let expectComma = false;
  let count = 0;
  for (let l = nextLine(); l; l = nextLine()) {
    const [start, end] = l;
    if (end - start === 2 && buf[start] === 93 && buf[start + 1] === 125) {
      // "]}" closes the document; only an empty tail may follow.
      if (expectComma) throw lineError(lineNo - 1, 'the last object line ends with a comma');
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
      group = { resource, buf, starts: [], ends: [], blockStart: start, blockEnd: objEnd };
      groups.push(group);
    }
    group.starts.push(start);
    group.ends.push(objEnd);
    group.blockEnd = objEnd;
  }
  if (!closed) throw new StoreFormatError('corrupt', 'the file is truncated (no closing "]}" line)');
  for (let l = nextLine(); l; l = nextLine()) {
    if (l[1] > l[0]) throw lineError(lineNo, 'unexpected content after the end of the store');
  }
  return { meta, groups };
}

/** The object of a line produced by encodeLine (before it was ever written). */
export function parseEncodedLine(line: string): KObject {
  const xl = /^\{"k":"[^"]*","xl":(\d+),"x":/.exec(line)!;
  return JSON.parse(line.slice(xl[0].length + Number(xl[1]) + 5, -1)) as KObject;
}

export function parseLineSummary(ref: LineRef): Summary {
  return JSON.parse(ref.buf.toString('utf8', ref.xStart, ref.xEnd)) as Summary;
}

export function parseLineObject(ref: LineRef): KObject {
  return JSON.parse(ref.buf.toString('utf8', ref.xEnd + 5, ref.end - 1)) as KObject;
}

/** The bytes of a line as stored (to write it back unchanged). */
export function lineBytes(ref: LineRef): Buffer {
  return ref.buf.subarray(ref.start, ref.end);
}

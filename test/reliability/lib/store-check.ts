/**
 * An independent reader of the store file, stricter than kfake's own (which decodes objects
 * lazily): the whole file must be one JSON document in the documented layout (src/store/format.ts),
 * every object line framed as written, every key naming its object, no key twice, and the index
 * of resource blocks at the end (when there is one) exactly right.
 */
import type { KItem } from './sandbox.ts';

export interface StoreSnapshot {
  meta: { resourceVersion: number; [k: string]: unknown };
  /** `<resource>/<namespace>/<name>` -> object */
  objects: Map<string, KItem>;
}

export function parseStore(buf: Buffer): StoreSnapshot {
  const text = buf.toString('utf8');
  let doc: { kfake?: unknown; formatVersion?: unknown; meta?: unknown; objects?: unknown; index?: Record<string, [number, number, number]> };
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`the store is not one JSON document: ${(e as Error).message}`);
  }
  if (doc.kfake !== 'cluster-store' || doc.formatVersion !== 1) throw new Error('the store header is wrong');
  const meta = doc.meta as StoreSnapshot['meta'];
  if (typeof meta !== 'object' || meta === null || typeof meta.resourceVersion !== 'number') {
    throw new Error('the store settings are missing or have no resourceVersion');
  }
  if (!Array.isArray(doc.objects)) throw new Error('the store has no objects list');
  const lines = text.split('\n');
  // Layout: header, meta, `"objects":[`, one line per object, then `]}`, or `],` and the index
  // line (`"index":{...}}`), and a final newline.
  const closing = doc.index === undefined ? [']}', ''] : ['],', `"index":${JSON.stringify(doc.index)}}`, ''];
  if (lines.length !== doc.objects.length + 3 + closing.length || lines.slice(-closing.length).join('\n') !== closing.join('\n')) {
    throw new Error('the store is not laid out one object per line');
  }
  if (doc.index !== undefined) checkIndex(buf, doc.index, doc.objects.length);
  const objects = new Map<string, KItem>();
  doc.objects.forEach((entry: { k: string; xl: number; x: unknown; o: KItem }, i: number) => {
    const where = `object line ${i + 1}`;
    if (typeof entry?.k !== 'string' || typeof entry.o?.metadata?.name !== 'string') throw new Error(`${where}: no key or object`);
    if (objects.has(entry.k)) throw new Error(`${where}: the key ${entry.k} appears twice`);
    const [, ns, name] = entry.k.split('/');
    if (entry.o.metadata.name !== name || (entry.o.metadata.namespace ?? '') !== ns) {
      throw new Error(`${where}: the key ${entry.k} does not name its object`);
    }
    if (entry.xl !== Buffer.byteLength(JSON.stringify(entry.x))) throw new Error(`${where}: the summary length is wrong`);
    const rv = Number(entry.o.metadata.resourceVersion);
    if (!(rv > 0 && rv <= meta.resourceVersion)) throw new Error(`${where}: resourceVersion ${rv} is not below the store's ${meta.resourceVersion}`);
    objects.set(entry.k, entry.o);
  });
  return { meta, objects };
}

/**
 * Each entry of the index is a resource's block: its byte range in the file and its line count.
 * The blocks must hold exactly that many lines of that resource, and between them every object.
 */
function checkIndex(buf: Buffer, index: Record<string, [number, number, number]>, total: number): void {
  let listed = 0;
  for (const [resource, [start, end, count]] of Object.entries(index)) {
    const block = buf.toString('utf8', start, end).split(',\n');
    const prefix = `{"k":"${resource}/`;
    if (block.length !== count || block.some((line) => !line.startsWith(prefix) || !line.endsWith('}'))) {
      throw new Error(`the index entry for ${resource} does not match its block`);
    }
    listed += count;
  }
  if (listed !== total) throw new Error(`the index lists ${listed} objects but the store holds ${total}`);
}

/** Whether the bytes are a store parseStore accepts (and why not). */
export function storeProblem(buf: Buffer): string | undefined {
  try {
    parseStore(buf);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

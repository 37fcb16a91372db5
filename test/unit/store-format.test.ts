import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { decodeStore, encodeLine, objectKey, StoreFormatError, type JsonOut } from '../../src/store/format.ts';
import { seededRandom } from '../../src/util/random.ts';
import { StoreFile } from '../../src/store/file-store.ts';
import { DEFAULT_CONFIG, emptyAllocations, type StoreMeta } from '../../src/store/meta.ts';
import { ClusterState } from '../../src/store/state.ts';
import { parseSelector } from '../../src/selectors/labels.ts';

const meta = (): StoreMeta => ({ createdAt: '2026-11-21T10:00:00Z', caCert: 'x', resourceVersion: 0, config: DEFAULT_CONFIG, alloc: emptyAllocations() });

function pod(ns: string, name: string, labels: Record<string, string> = {}, owner?: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, uid: `uid-${name}`, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner }] } : {}) },
    spec: { containers: [] },
  };
}

/** The i-th Pulled event about pod p0000. */
function pulledEvent(i: number): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `e${i}`, namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p0000', uid: 'uid-p0000' },
    reason: 'Pulled',
    lastTimestamp: '2026-11-21T10:00:00Z',
  };
}

const dirs: string[] = [];
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-store-'));
  dirs.push(d);
  return path.join(d, 'cluster.json');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('store file', () => {
  it('round-trips objects, keeps the file valid JSON, and lists in etcd key order', () => {
    const file = tmpFile();
    const s = new ClusterState(meta());
    s.put('pods', pod('default', 'b'));
    s.put('pods', pod('default', 'a', { o: 'x"},"o":1' }));
    s.put('pods', pod('default-x', 'c'));
    new StoreFile(file).write(s);
    const text = fs.readFileSync(file, 'utf8');
    expect(() => JSON.parse(text)).not.toThrow();
    expect(JSON.parse(text).formatVersion).toBe(1);
    const back = new StoreFile(file).read()!;
    // `default-x/` sorts before `default/` bytewise, as etcd keys do
    expect(back.list('pods').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'default-x/c',
      'default/a',
      'default/b',
    ]);
    expect(back.get('pods', 'default', 'a')!.metadata.labels).toEqual({ o: 'x"},"o":1' });
    expect(back.meta.resourceVersion).toBe(3);
  });

  it('writes unchanged objects back byte for byte', () => {
    const file = tmpFile();
    const s = new ClusterState(meta());
    s.put('pods', pod('default', 'a'));
    new StoreFile(file).write(s);
    const before = fs.readFileSync(file, 'utf8');
    const back = new StoreFile(file).read()!;
    back.put('pods', pod('default', 'b'));
    new StoreFile(file).write(back);
    const after = fs.readFileSync(file, 'utf8');
    const lineA = before.split('\n').find((l) => l.includes('"pods/default/a"'))!;
    expect(after).toContain(lineA.replace(/,$/, ''));
    // the previous version is kept beside it
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).toBe(before);
  });

  it('refuses a truncated file', () => {
    const s = new ClusterState(meta());
    s.put('pods', pod('default', 'a'));
    const file = tmpFile();
    new StoreFile(file).write(s);
    const text = fs.readFileSync(file, 'utf8');
    expect(() => decodeStore(Buffer.from(text.slice(0, text.length - 10)))).toThrow(StoreFormatError);
    expect(() => new StoreFile(file).read()).not.toThrow();
    fs.writeFileSync(file, text.slice(0, text.length - 10));
    expect(() => new StoreFile(file).read()).toThrow(/is corrupt .*left untouched/);
  });

  it('refuses an unknown format version', () => {
    const buf = Buffer.from('{"kfake":"cluster-store","formatVersion":9,\n"meta":{},\n"objects":[\n]}\n');
    expect(() => decodeStore(buf)).toThrow(/format version 9 is not supported/);
  });

  it('refuses other JSON', () => {
    expect(() => decodeStore(Buffer.from('{"hello":1}\n'))).toThrow(/not a kfake cluster store/);
    expect(() => decodeStore(Buffer.from(''))).toThrow(/empty/);
  });
});

describe('store file index', () => {
  /** A store with pods, services and events, written, then opened through its index. */
  function written(): string {
    const file = tmpFile();
    const s = new ClusterState(meta());
    for (let i = 0; i < 5; i++) s.put('pods', pod('default', `p${i}`, { app: 'web' }));
    s.put('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: {} });
    s.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } });
    new StoreFile(file).write(s);
    return file;
  }
  const lazy = (file: string) => new StoreFile(file, { readWholeBelow: 0 });

  it('ends the file with each resource\'s byte range and line count', () => {
    const file = written();
    const buf = fs.readFileSync(file);
    const doc = JSON.parse(buf.toString());
    expect(Object.keys(doc.index)).toEqual(['pods', 'services', 'configmaps']);
    const [start, end, count] = doc.index.pods;
    expect(count).toBe(5);
    const block = buf.toString('utf8', start, end).split(',\n');
    expect(block).toHaveLength(5);
    expect(block.every((l: string) => l.startsWith('{"k":"pods/default/p'))).toBe(true);
  });

  it('reads only what it uses and copies the rest unchanged', () => {
    const file = written();
    const before = fs.readFileSync(file, 'utf8');
    const s = lazy(file).read()!;
    expect(s.count('pods')).toBe(5);
    expect(s.get('pods', 'default', 'p3')!.metadata.uid).toBe('uid-p3');
    expect(s.get('services', 'default', 'web')!.kind).toBe('Service');
    s.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', namespace: 'default' }, data: {} });
    lazy(file).write(s);
    const after = fs.readFileSync(file, 'utf8');
    const podLines = (t: string) => t.split('\n').filter((l) => l.startsWith('{"k":"pods/'));
    expect(podLines(after)).toEqual(podLines(before));
    const back = lazy(file).read()!;
    expect(back.select('pods', 'default', parseSelector('app=web'))).toHaveLength(5);
    expect(back.list('configmaps').map((c) => c.metadata.name)).toEqual(['c', 'd']);
    expect(JSON.parse(after).index.configmaps[2]).toBe(2);
  });

  it('falls back to reading the whole file when the index does not match (a file edited by hand)', () => {
    const file = written();
    const text = fs.readFileSync(file, 'utf8');
    // one object a byte longer: every offset after it moves
    fs.writeFileSync(file, text.replace('"containers":[]', '"containers":[ ]'));
    const s = lazy(file).read()!;
    expect(s.count('pods')).toBe(5);
    expect(s.get('pods', 'default', 'p0')!.spec).toEqual({ containers: [] });
    expect(s.list('services')).toHaveLength(1);
  });

  it('lists in key order whether or not the lines are stored in it', () => {
    const file = written();
    const names = (f: string) => {
      const out: string[] = [];
      lazy(f).read()!.scan('pods', 'default', (o) => out.push(o.metadata.name!));
      return out;
    };
    expect(names(file)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    const podsInOrder = () => decodeStore(fs.readFileSync(file)).resources.find((r) => r.resource === 'pods')!.lines().sorted;
    expect(podsInOrder()).toBe(true);
    // swap the first two pod lines (same length, so the index still matches)
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('{"k":"pods/default/p0"'));
    [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
    fs.writeFileSync(file, lines.join('\n'));
    expect(podsInOrder()).toBe(false);
    expect(names(file)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    const none: string[] = [];
    lazy(file).read()!.scan('pods', 'other', (o) => none.push(o.metadata.name!));
    expect(none).toEqual([]);
  });

  it('reports a damaged block when it is used, naming the file, and never writes over it', () => {
    const file = written();
    const text = fs.readFileSync(file, 'utf8');
    // same length, but the first pod line no longer has a key
    const damaged = text.replace('{"k":"pods/default/p0"', '{"q":"pods/default/p0"');
    fs.writeFileSync(file, damaged);
    const s = lazy(file).read()!;
    expect(() => s.list('pods')).toThrow(new RegExp(`cluster store ${file} is corrupt \\(line 4: object line without a key\\)`));
    // a write that would copy the damaged block refuses too
    const t = lazy(file).read()!;
    t.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e', namespace: 'default' }, data: {} });
    expect(() => lazy(file).write(t)).toThrow(/is corrupt/);
    expect(fs.readFileSync(file, 'utf8')).toBe(damaged);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('compaction', () => {
  it('keeps written objects as lines, moves full slabs of them out of memory, and writes them all', () => {
    const file = tmpFile();
    const s = new ClusterState(meta());
    const note = 'x'.repeat(600);
    // about 2.5 MB of lines: more than two slabs
    for (let i = 0; i < 3000; i++) s.put('pods', pod('default', `p${String(i).padStart(4, '0')}`, { app: 'web', note }));
    for (let i = 0; i < 500; i++) s.put('events', pulledEvent(i));
    s.compact();
    expect(s.get('pods', 'default', 'p0001')!.metadata.labels).toEqual({ app: 'web', note });
    expect(s.eventsAbout('default', 'Pod', 'p0000', 'uid-p0000', 'Pulled')).toHaveLength(500);
    s.put('pods', pod('default', 'p0002', { app: 'db' }));
    expect(s.select('pods', 'default', parseSelector('app=web'))).toHaveLength(2999);
    new StoreFile(file).write(s);
    const back = new StoreFile(file).read()!;
    expect(back.count('pods')).toBe(3000);
    expect(back.count('events')).toBe(500);
    expect(back.get('pods', 'default', 'p2999')!.metadata.labels).toEqual({ app: 'web', note });
    expect(back.get('pods', 'default', 'p0002')!.metadata.labels).toEqual({ app: 'db' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).objects).toHaveLength(3500);
  });
});

describe('compaction of big and non-ASCII lines', () => {
  it('keeps a line bigger than an eighth of a slab, and multi-byte text, exactly as written', () => {
    const file = tmpFile();
    const s = new ClusterState(meta());
    // 200 KB of text in one object: more than an eighth of the 1 MiB slab, so it gets its own buffer
    const big = 'APP_99_PORT_80_TCP_PORT '.repeat(8_500);
    const wide = '한국어 서비스 ✓ '.repeat(40);
    s.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'default' }, data: { big } });
    for (let i = 0; i < 2000; i++) s.put('pods', pod('default', `p${String(i).padStart(4, '0')}`, { app: 'web' }));
    for (let i = 0; i < 2000; i++) s.put('events', { ...pulledEvent(i), message: `${wide}${i}` });
    s.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wide', namespace: 'default' }, data: { wide: wide.repeat(200) } });
    s.compact();
    expect(s.get('configmaps', 'default', 'big')!.data).toEqual({ big });
    expect(s.get('configmaps', 'default', 'wide')!.data).toEqual({ wide: wide.repeat(200) });
    new StoreFile(file).write(s);
    const text = fs.readFileSync(file, 'utf8');
    expect(() => JSON.parse(text)).not.toThrow();
    const back = new StoreFile(file).read()!;
    expect(back.get('configmaps', 'default', 'big')!.data).toEqual({ big });
    expect(back.get('configmaps', 'default', 'wide')!.data).toEqual({ wide: wide.repeat(200) });
    expect(back.get<KObject & { message: string }>('events', 'default', 'e1999')!.message).toBe(`${wide}1999`);
    expect(back.count('pods')).toBe(2000);
  });
});

describe('cluster state', () => {
  it('selects through the label index and keeps it current on writes', () => {
    const s = new ClusterState(meta());
    s.put('pods', pod('default', 'a', { app: 'web' }));
    s.put('pods', pod('default', 'b', { app: 'db' }));
    s.put('pods', pod('other', 'c', { app: 'web' }));
    expect(s.select('pods', 'default', parseSelector('app=web')).map((p) => p.metadata.name)).toEqual(['a']);
    expect(s.select('pods', undefined, parseSelector('app=web')).map((p) => p.metadata.name)).toEqual(['a', 'c']);
    s.put('pods', pod('default', 'b', { app: 'web' }));
    s.remove('pods', 'other', 'c');
    expect(s.select('pods', undefined, parseSelector('app=web')).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(s.select('pods', undefined, parseSelector('app!=web'))).toEqual([]);
  });

  it('finds dependents through the owner index', () => {
    const s = new ClusterState(meta());
    s.put('pods', pod('default', 'a', {}, 'rs-1'));
    s.put('pods', pod('default', 'b', {}, 'rs-2'));
    expect(s.ownedBy('pods', 'default', 'rs-1').map((p) => p.metadata.name)).toEqual(['a']);
    s.put('pods', pod('default', 'c', {}, 'rs-1'));
    expect(s.ownedBy('pods', 'default', 'rs-1').map((p) => p.metadata.name)).toEqual(['a', 'c']);
  });

  it('records changes with the old object and bumps resourceVersion', () => {
    const s = new ClusterState(meta());
    s.put('pods', pod('default', 'a'));
    s.put('pods', pod('default', 'a', { v: '2' }));
    s.remove('pods', 'default', 'a');
    const changes = s.drainChanges();
    expect(changes.map((c) => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(changes[1].old?.metadata.resourceVersion).toBe('1');
    expect(s.meta.resourceVersion).toBe(3);
  });
});

/** JSON.stringify's output, written piece by piece: punctuation as bytes, strings one by one. */
function piecewise(value: unknown, out: JsonOut): void {
  if (typeof value === 'string') out.string(value);
  else if (Array.isArray(value)) {
    out.raw(Buffer.from('['));
    value.forEach((v, i) => {
      if (i) out.raw(Buffer.from(','));
      piecewise(v, out);
    });
    out.raw(Buffer.from(']'));
  } else if (value && typeof value === 'object') {
    out.raw(Buffer.from('{'));
    Object.entries(value).forEach(([k, v], i) => {
      out.raw(Buffer.from(i ? ',' : ''));
      out.string(k);
      out.raw(Buffer.from(':'));
      piecewise(v, out);
    });
    out.raw(Buffer.from('}'));
  } else out.text(JSON.stringify(value));
}

describe('lines written into slabs', () => {
  it('are byte for byte the lines encodeLine makes, across slab boundaries, escapes and multi-byte text', () => {
    const rng = seededRandom('slab-lines');
    // text that JSON writes as it is (copied unit by unit, then by the encoder from the first
    // non-ASCII character), and text with characters it escapes
    const plain = ['plain ascii ', '한국어 ', 'é', '✓', '😀', '\u2028'];
    const escaped = [...plain, '"quoted" ', 'back\\slash ', 'tab\t', 'nl\n', '\u0001', 'lone\ud800 '];
    const text = (n: number) => {
      const pieces = rng.int(2) ? plain : escaped;
      let out = '';
      while (out.length < n) out += pieces[rng.int(pieces.length)];
      return out;
    };
    const s = new ClusterState(meta());
    const events: KObject[] = [];
    for (let i = 0; i < 3000; i++) {
      // mostly short lines, some of several KB, now and then one past an eighth of a slab
      const size = i % 500 === 250 ? 150_000 + rng.int(100_000) : i % 10 === 0 ? rng.int(20_000) : rng.int(400);
      const ev = { ...pulledEvent(i), message: text(size) };
      events.push(ev);
      // every string through JsonOut.string, as the event recorder writes its events
      s.put('events', ev, piecewise);
    }
    const file = tmpFile();
    new StoreFile(file).write(s);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{"k":"events/'));
    const expected = events
      .map((e) => encodeLine(objectKey('events', 'default', e.metadata.name!), 'events', e))
      .sort((a, b) => (a < b ? -1 : 1));
    expect(lines.map((l) => l.replace(/,$/, ''))).toEqual(expected);
  });

  it('measure summaries in bytes, so labels with escapes and multi-byte text read back', () => {
    const values = ['plain', 'é', '한국어', '😀', 'say "hi"', 'back\\slash', 'x\ud800y', '\u2028'];
    const s = new ClusterState(meta());
    values.forEach((v, i) => s.put('pods', pod('default', `p${i}`, { note: v, [`k${v}`]: 'x' })));
    s.compact();
    const file = tmpFile();
    new StoreFile(file).write(s);
    for (const line of fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{"k":"pods/'))) {
      const { xl, x } = JSON.parse(line.replace(/,$/, ''));
      expect(xl).toBe(Buffer.byteLength(JSON.stringify(x)));
    }
    const back = new StoreFile(file).read()!;
    values.forEach((v, i) => expect(back.get('pods', 'default', `p${i}`)!.metadata.labels).toEqual({ note: v, [`k${v}`]: 'x' }));
  });
});

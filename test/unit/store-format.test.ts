import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { decodeStore, StoreFormatError } from '../../src/store/format.ts';
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

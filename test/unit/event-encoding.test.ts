import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { EventRecorder, nanosHex } from '../../src/controllers/events.ts';
import { encodeLine, encodeSummary, jsonWith, objectKey, type ObjectWriter, type Summary } from '../../src/store/format.ts';
import { DEFAULT_CONFIG, emptyAllocations } from '../../src/store/meta.ts';
import { ClusterState } from '../../src/store/state.ts';
import { seededRandom } from '../../src/util/random.ts';

describe('event names', () => {
  it('spell UnixNano in hex as a BigInt would, across the 32-bit carry and at the epoch', () => {
    const cases: [bigint, number][] = [
      [BigInt(Date.parse('2026-11-21T10:00:00Z')) * 1000000n, 0],
      [BigInt(Date.parse('2026-11-21T10:00:00Z')) * 1000000n, 12345],
      [0n, 0],
      [0n, 255],
      [0xffffffffn, 1],
      [0x1_ffff_fffen, 7],
      [(0x1234n << 32n) | 0xffff_ff00n, 0x100],
    ];
    for (const [nanos, add] of cases) {
      const high = Number(nanos >> 32n);
      const low = Number(nanos & 0xffffffffn);
      expect(nanosHex(high, low, add)).toBe((nanos + BigInt(add)).toString(16));
    }
  });
});

describe('store summaries', () => {
  it('are written exactly as JSON.stringify writes them', () => {
    const summaries: Summary[] = [
      {},
      { l: { app: 'web', 'app.kubernetes.io/name': 'x' }, r: ['a-b', 'c'], n: 'kfake-worker', p: 'Running' },
      { l: { note: 'say "hi"\\ \n\t\u0001 é 한국어 ✓ \u2028' } },
      { l: {} },
      { r: [] },
      { i: ['Pod', 'web-1', 'uid-1', 'Pulled'], t: 1795321052000 },
      { i: ['Node', 'n"1', '', ''], t: Number.NaN },
      { l: { lone: 'x\ud800y', pair: '😀' } },
      { r: [undefined as unknown as string, 'u'] },
      { l: { a: undefined as unknown as string, b: 'c' } },
    ];
    for (const s of summaries) expect(encodeSummary(s)).toBe(JSON.stringify(s));
  });
});

describe('event recorder', () => {
  it('writes each event it records exactly as JSON.stringify would write the event object', () => {
    const state = new ClusterState({ createdAt: '2026-11-21T10:00:00Z', caCert: 'x', resourceVersion: 0, config: DEFAULT_CONFIG, alloc: emptyAllocations() });
    const checked: string[] = [];
    const put = state.put.bind(state);
    state.put = (resource: string, obj: KObject, write?: ObjectWriter) => {
      const stored = put(resource, obj, write);
      if (write) {
        expect(jsonWith(write, obj)).toBe(JSON.stringify(obj));
        checked.push(String(obj.reason));
      }
      return stored;
    };
    const now = new Date('2026-11-21T10:00:00Z');
    const events = new EventRecorder(state, now, seededRandom('events'));
    const pod = put('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1' }, spec: { containers: [] } });
    const node = put('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kfake-worker', uid: 'uid-n' } });
    const kubelet = { component: 'kubelet', host: 'kfake-worker' };
    events.record(pod, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', kubelet, 'spec.containers{web}');
    events.record(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx:1.27" in 1.2s', kubelet, 'spec.containers{web}');
    events.record(pod, 'Warning', 'Failed', 'Error: say "hi"\\ \n\t 한국어 ✓ \u2028', kubelet, 'spec.containers{web}');
    events.record(pod, 'Normal', 'Killing', 'Stopping container web', kubelet);
    events.record(node, 'Normal', 'Starting', 'Starting kubelet.', { component: 'kubelet' });
    events.recordNew(pod, 'Normal', 'Scheduled', 'Binding', 'Successfully assigned default/web-1 to kfake-worker', 'default-scheduler', 'default-scheduler-kfake-control-plane');
    // the same object at a new resourceVersion is referred to afresh
    const bound = put('pods', { ...pod, metadata: { ...pod.metadata }, spec: { ...(pod.spec as object), nodeName: 'kfake-worker' } } as KObject);
    events.record(bound, 'Normal', 'Created', 'Created container: web', kubelet, 'spec.containers{web}');
    // a repeat bumps the count of the first one
    events.record(pod, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', kubelet, 'spec.containers{web}');
    expect(checked).toEqual(['Pulling', 'Pulled', 'Failed', 'Killing', 'Starting', 'Scheduled', 'Created']);
    const created = state.eventsAbout<KObject & { involvedObject: { resourceVersion: string } }>('default', 'Pod', 'web-1', 'uid-1', 'Created');
    expect(created[0].involvedObject.resourceVersion).toBe(bound.metadata.resourceVersion);
    const pulling = state.eventsAbout<KObject & { count: number }>('default', 'Pod', 'web-1', 'uid-1', 'Pulling');
    expect(pulling.map((e) => e.count)).toEqual([2]);
    // and the bytes stored are those lines
    const block = [...state.encodeResources()].find((r) => r.resource === 'events')!;
    const stored = Buffer.concat([...block.pieces].map((p) => (typeof p === 'string' ? Buffer.from(p) : (p as Buffer)))).toString().split(',\n');
    const expected = state.list('events').map((e) => encodeLine(objectKey('events', 'default', e.metadata.name!), 'events', e));
    expect(stored).toEqual(expected);
  });
});

describe('event repeats', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  const kubelet = { component: 'kubelet', host: 'kfake-worker' };
  const newState = () => new ClusterState({ createdAt: '2026-11-21T10:00:00Z', caCert: 'x', resourceVersion: 0, config: DEFAULT_CONFIG, alloc: emptyAllocations() });
  const pod = (name: string, uid: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid }, spec: { containers: [] } });
  const counts = (state: ClusterState, name: string, uid: string) =>
    state.eventsAbout<KObject & { count: number }>('default', 'Pod', name, uid, 'BackOff').map((e) => e.count);

  it('bump the count for objects created before the recorder (found in the store) and after it (known to it)', () => {
    const state = newState();
    const old = state.put('pods', pod('old', 'uid-old'));
    new EventRecorder(state, now, seededRandom('a')).record(old, 'Warning', 'BackOff', 'Back-off restarting failed container', kubelet);
    const events = new EventRecorder(state, now, seededRandom('b'));
    const young = state.put('pods', pod('young', 'uid-young'));
    for (const p of [old, young]) {
      events.record(p, 'Warning', 'BackOff', 'Back-off restarting failed container', kubelet);
      events.record(p, 'Warning', 'BackOff', 'Back-off restarting failed container', kubelet);
    }
    expect(counts(state, 'old', 'uid-old')).toEqual([3]);
    expect(counts(state, 'young', 'uid-young')).toEqual([2]);
    // an object made again under the same name is another object: its events start afresh
    state.remove('pods', 'default', 'young');
    const again = state.put('pods', pod('young', 'uid-young-2'));
    events.record(again, 'Warning', 'BackOff', 'Back-off restarting failed container', kubelet);
    expect(counts(state, 'young', 'uid-young-2')).toEqual([1]);
  });
});

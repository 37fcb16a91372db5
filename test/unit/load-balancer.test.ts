/**
 * Address-pool load balancers, as MetalLB v0.14 (layer 2) runs them: allocation order and
 * requests (controller/service.go, internal/allocator/allocator.go), the events and their texts,
 * release on delete and type change, and which speaker announces (speaker/layer2_controller.go).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Event, KObject, Service } from '../../src/api/types.ts';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../src/apiserver/api.ts';
import { resourceInfo } from '../../src/api/registry.ts';
import { newClusterState } from '../../src/cluster/bootstrap.ts';
import { EventRecorder } from '../../src/controllers/events.ts';
import { announcingNode, parsePool } from '../../src/controllers/load-balancer.ts';
import { reconcile } from '../../src/controllers/reconcile.ts';
import { DEFAULT_CONFIG, type LoadBalancerConfig } from '../../src/store/meta.ts';
import type { ClusterState } from '../../src/store/state.ts';
import { rfc3339 } from '../../src/util/duration.ts';
import { parseIPv4 } from '../../src/util/ipv4.ts';
import { seededRandom } from '../../src/util/random.ts';

const NOW = new Date('2026-11-21T10:00:00Z');

function cluster(loadBalancer: LoadBalancerConfig = { mode: 'pool', pool: '172.18.255.200-172.18.255.202' }) {
  const rng = seededRandom('load-balancer');
  const state = newClusterState({ ...structuredClone(DEFAULT_CONFIG), loadBalancer }, NOW, rng);
  const api: ApiContext = { state, now: NOW, rng };
  const settle = () => reconcile({ state, now: NOW, nowText: rfc3339(NOW), rng, config: state.meta.config, events: new EventRecorder(state, NOW, rng) });
  settle();
  return {
    state,
    add(...objs: KObject[]) {
      for (const o of objs) createObject(api, o);
      settle();
    },
    update(obj: KObject) {
      updateObject(api, obj);
      settle();
    },
    remove(resource: string, name: string) {
      deleteObject(api, resourceInfo(resource), 'default', name);
      settle();
    },
  };
}

function lb(name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
  } as KObject;
}

function pod(name: string, nodeName?: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
  } as KObject;
}

const svc = (state: ClusterState, name: string) => state.get<Service>('services', 'default', name)!;
const external = (state: ClusterState, name: string) => svc(state, name).status?.loadBalancer?.ingress ?? [];
const events = (state: ClusterState, name: string) =>
  state
    .list<Event>('events', 'default')
    .filter((e) => e.involvedObject.kind === 'Service' && e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.source?.component}: ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);

describe('parsePool', () => {
  it('reads a range or a CIDR (all of whose addresses MetalLB hands out)', () => {
    expect(parsePool('172.18.255.200-172.18.255.250')).toEqual({ first: parseIPv4('172.18.255.200'), last: parseIPv4('172.18.255.250') });
    expect(parsePool('10.0.0.0/30')).toEqual({ first: parseIPv4('10.0.0.0'), last: parseIPv4('10.0.0.3') });
    expect(parsePool('10.0.0.9-10.0.0.1')).toBeUndefined();
    expect(parsePool('nonsense')).toBeUndefined();
  });
});

describe('MetalLB controller', () => {
  it('gives LoadBalancer Services the first free addresses, with ipMode VIP and the pool annotation', () => {
    const c = cluster();
    c.add(lb('a'), lb('b'));
    expect(external(c.state, 'a')).toEqual([{ ip: '172.18.255.200', ipMode: 'VIP' }]);
    expect(external(c.state, 'b')).toEqual([{ ip: '172.18.255.201', ipMode: 'VIP' }]);
    expect(svc(c.state, 'a').metadata.annotations).toEqual({ 'metallb.universe.tf/ip-allocated-from-pool': 'first-pool' });
    expect(events(c.state, 'a')).toEqual(['Normal IPAllocated metallb-controller: Assigned IP ["172.18.255.200"]']);
    expect(c.state.meta.alloc.loadBalancerIPs).toEqual({ '172.18.255.200': 'default/a', '172.18.255.201': 'default/b' });
  });

  it('starts a CIDR pool at its network address (no avoidBuggyIPs)', () => {
    const c = cluster({ mode: 'pool', pool: '192.168.10.0/24' });
    c.add(lb('a'));
    expect(external(c.state, 'a')[0].ip).toBe('192.168.10.0');
  });

  it('leaves ClusterIP and NodePort Services alone, and does nothing without a pool', () => {
    const c = cluster();
    c.add(lb('np', { type: 'NodePort' }));
    expect(svc(c.state, 'np').status).toEqual({ loadBalancer: {} });
    const none = cluster({ mode: 'none' });
    none.add(lb('a'));
    expect(svc(none.state, 'a').status).toEqual({ loadBalancer: {} });
    expect(events(none.state, 'a')).toEqual([]);
  });

  it('honours spec.loadBalancerIP and the loadBalancerIPs annotation', () => {
    const c = cluster();
    c.add(lb('a', { loadBalancerIP: '172.18.255.202' }), lb('b', {}, { 'metallb.universe.tf/loadBalancerIPs': '172.18.255.201' }));
    expect(external(c.state, 'a')[0].ip).toBe('172.18.255.202');
    expect(external(c.state, 'b')[0].ip).toBe('172.18.255.201');
  });

  it('reports requests it cannot meet', () => {
    const c = cluster();
    c.add(lb('a', { loadBalancerIP: '10.0.0.1' }));
    expect(external(c.state, 'a')).toEqual([]);
    expect(events(c.state, 'a')).toEqual(['Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/a": ["10.0.0.1"] is not allowed in config']);
    c.add(lb('b'), lb('c', { loadBalancerIP: '172.18.255.200' }));
    expect(events(c.state, 'c')).toEqual([
      'Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/c": can\'t change sharing key for "default/c", address also in use by default/b',
    ]);
    c.add(lb('both', { loadBalancerIP: '172.18.255.202' }, { 'metallb.universe.tf/loadBalancerIPs': '172.18.255.202' }));
    expect(events(c.state, 'both')).toEqual([
      'Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/both": service can not have both metallb.universe.tf/loadBalancerIPs and svc.Spec.LoadBalancerIP',
    ]);
    c.add(lb('pool', {}, { 'metallb.universe.tf/address-pool': 'production' }));
    expect(events(c.state, 'pool')).toEqual(['Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/pool": unknown pool "production"']);
  });

  it('says so when the pool is used up, and serves the waiting Service once an address is freed', () => {
    const c = cluster({ mode: 'pool', pool: '172.18.255.200-172.18.255.201' });
    c.add(lb('a'), lb('b'), lb('c'));
    expect(external(c.state, 'c')).toEqual([]);
    expect(events(c.state, 'c')).toEqual(['Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/c": no available IPs']);
    c.remove('services', 'a');
    expect(external(c.state, 'c')[0].ip).toBe('172.18.255.200');
    expect(c.state.meta.alloc.loadBalancerIPs).toEqual({ '172.18.255.200': 'default/c', '172.18.255.201': 'default/b' });
  });

  it('frees the address and drops the annotation when the Service stops being a LoadBalancer', () => {
    const c = cluster();
    c.add(lb('a'));
    const next = structuredClone(svc(c.state, 'a'));
    next.spec.type = 'ClusterIP';
    for (const p of next.spec.ports ?? []) delete p.nodePort;
    c.update(next);
    expect(svc(c.state, 'a').status).toEqual({ loadBalancer: {} });
    expect(svc(c.state, 'a').metadata.annotations).toBeUndefined();
    expect(c.state.meta.alloc.loadBalancerIPs).toEqual({});
  });
});

describe('MetalLB speakers', () => {
  /** The first node by sha256(node#ip), as layer2Controller.ShouldAnnounce sorts them. */
  const winner = (nodes: string[], ip: string) =>
    [...nodes].sort((a, b) => Buffer.compare(createHash('sha256').update(`${a}#${ip}`).digest(), createHash('sha256').update(`${b}#${ip}`).digest()))[0];

  it('announces only once the Service has a serving endpoint, from a worker (the control plane is excluded)', () => {
    const c = cluster();
    c.add(lb('a'));
    expect(announcingNode(c.state, svc(c.state, 'a'))).toBeUndefined();
    expect(events(c.state, 'a')).toHaveLength(1);
    c.add(pod('web-1', 'kfake-worker'));
    const node = winner(['kfake-worker', 'kfake-worker2'], '172.18.255.200');
    expect(announcingNode(c.state, svc(c.state, 'a'))).toBe(node);
    expect(events(c.state, 'a')).toEqual([
      'Normal IPAllocated metallb-controller: Assigned IP ["172.18.255.200"]',
      `Normal nodeAssigned metallb-speaker: announcing from node "${node}" with protocol "layer2"`,
    ]);
  });

  it('announces from a node with an endpoint under externalTrafficPolicy Local', () => {
    const c = cluster();
    c.add(pod('web-1', 'kfake-worker2'), lb('a', { externalTrafficPolicy: 'Local' }));
    expect(announcingNode(c.state, svc(c.state, 'a'))).toBe('kfake-worker2');
  });
});

/**
 * kube-proxy's iptables behaviour (pkg/proxy/iptables/proxier.go): random choice per connection,
 * ClientIP affinity, REJECT without endpoints, DROP for Local policies without local endpoints,
 * masquerading, and what outside traffic can reach.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import type { KObject, Service } from '../../../src/api/types.ts';
import { connect } from '../../../src/network/proxy/kube-proxy.ts';
import { pod, service, TestNet } from './cluster.ts';

let t: TestNet;

function web(name: string, node: string): KObject {
  const p = pod(name, 'nginx:1.27', { nodeName: node });
  p.metadata.labels = { app: 'web' };
  return p;
}

function ip(svc: string): string {
  return t.state.get<Service>('services', 'default', svc)!.spec.clusterIP!;
}

function landOn(from: ReturnType<TestNet['podPlace']>, dst: string, port: number): string {
  t.nextRandom();
  const r = connect(t.net, { from, ip: dst, port, protocol: 'TCP', record: true });
  if (!r.ok) return r.error;
  return r.delivery.kind === 'pod' ? r.delivery.pod.metadata.name! : `host ${r.delivery.ip}`;
}

beforeEach(() => {
  t = new TestNet();
  t.create(web('web-a', 'kfake-worker'));
  t.create(web('web-b', 'kfake-worker'));
  t.create(web('web-c', 'kfake-worker2'));
  t.create(pod('client', 'busybox', { nodeName: 'kfake-worker2' }, { command: ['sleep', '3600'] }));
});

describe('ClusterIP', () => {
  test('each connection draws an endpoint at random: repeated calls reach every pod', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(landOn(t.podPlace('client'), ip('web'), 80));
    expect([...seen].sort()).toEqual(['web-a', 'web-b', 'web-c']);
  });

  test('sessionAffinity ClientIP keeps a client on its first endpoint', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }));
    const first = landOn(t.podPlace('client'), ip('web'), 80);
    for (let i = 0; i < 10; i++) expect(landOn(t.podPlace('client'), ip('web'), 80)).toBe(first);
  });

  test('no endpoints: kube-proxy rejects (connection refused)', () => {
    t.create(service('nobody', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }));
    expect(landOn(t.podPlace('client'), ip('nobody'), 80)).toBe('refused');
  });

  test('a port the Service does not have matches no rule: timeout', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(landOn(t.podPlace('client'), ip('web'), 8080)).toBe('timeout');
  });

  test('internalTrafficPolicy Local without an endpoint on the client node: dropped (timeout)', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }], internalTrafficPolicy: 'Local' }));
    t.create(pod('client2', 'busybox', { nodeName: 'kfake-control-plane', tolerations: [{ operator: 'Exists' }] }, { command: ['sleep', '3600'] }));
    expect(landOn(t.podPlace('client2'), ip('web'), 80)).toBe('timeout');
    for (let i = 0; i < 5; i++) expect(landOn(t.podPlace('client'), ip('web'), 80)).toBe('web-c');
  });

  test('the machine outside the cluster cannot reach a cluster IP', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    expect(landOn(t.outsidePlace(), ip('web'), 80)).toBe('timeout');
  });

  test('a pod keeps its own address; reaching itself through its Service is masqueraded (hairpin)', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }));
    const from = t.podPlace('client');
    t.nextRandom();
    const r = connect(t.net, { from, ip: ip('web'), port: 80, protocol: 'TCP' });
    expect(r.ok && r.clientIP).toBe(from.ip);
    const self = t.podPlace('web-c');
    const results = new Set<string>();
    for (let i = 0; i < 20; i++) {
      t.nextRandom();
      const h = connect(t.net, { from: self, ip: ip('web'), port: 80, protocol: 'TCP' });
      if (h.ok && h.delivery.kind === 'pod' && h.delivery.pod.metadata.name === 'web-c') results.add(h.clientIP);
    }
    // kfake-worker2's pod CIDR is 10.244.2.0/24: its gateway is .1
    expect([...results]).toEqual(['10.244.2.1']);
  });

  test('a node is masqueraded: its InternalIP towards another node, its gateway towards a local pod', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    const seen = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      t.nextRandom();
      const r = connect(t.net, { from: t.nodePlace('kfake-worker'), ip: ip('web'), port: 80, protocol: 'TCP' });
      if (r.ok && r.delivery.kind === 'pod') seen.set(r.delivery.pod.metadata.name!, r.clientIP);
    }
    expect(Object.fromEntries(seen)).toEqual({ 'web-a': '10.244.1.1', 'web-b': '10.244.1.1', 'web-c': '172.18.0.3' });
  });
});

describe('external traffic', () => {
  test('a NodePort answers on every node; with the Cluster policy the client is masqueraded', () => {
    t.create(service('web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] }));
    for (const node of ['172.18.0.2', '172.18.0.3', '172.18.0.4']) {
      t.nextRandom();
      const r = connect(t.net, { from: t.outsidePlace(), ip: node, port: 30080, protocol: 'TCP' });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.clientIP).not.toBe('172.18.0.1');
    }
  });

  test('externalTrafficPolicy Local: only local endpoints, the client address kept; none local: timeout', () => {
    t.create(service('web', { type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] }));
    for (let i = 0; i < 5; i++) {
      t.nextRandom();
      const r = connect(t.net, { from: t.outsidePlace(), ip: '172.18.0.4', port: 30080, protocol: 'TCP' });
      expect(r.ok && r.delivery.kind === 'pod' && r.delivery.pod.metadata.name).toBe('web-c');
      expect(r.ok && r.clientIP).toBe('172.18.0.1');
    }
    expect(landOn(t.outsidePlace(), '172.18.0.2', 30080)).toBe('timeout');
  });

  test('externalIPs answer from outside once set', () => {
    t.create(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }], externalIPs: ['35.222.1.2'] }));
    expect(['web-a', 'web-b', 'web-c']).toContain(landOn(t.outsidePlace(), '35.222.1.2', 80));
    expect(landOn(t.outsidePlace(), '35.222.1.3', 80)).toBe('timeout');
  });
});

describe('pod addresses', () => {
  test('pods reach pod IPs; outside does not; an unused address of a pod CIDR is unreachable', () => {
    const target = t.pod('web-a').status!.podIP!;
    expect(landOn(t.podPlace('client'), target, 80)).toBe('web-a');
    expect(landOn(t.outsidePlace(), target, 80)).toBe('timeout');
    expect(landOn(t.podPlace('client'), '10.244.1.250', 80)).toBe('unreachable');
  });
});

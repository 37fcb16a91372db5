/**
 * CoreDNS's kubernetes plugin as kubeadm configures it (coredns plugin/kubernetes parse.go,
 * kubernetes.go findServices/findPods, reverse.go, plugin/backend_lookup.go SRV weights).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Service } from '../../../src/api/types.ts';
import { coreDnsAnswer } from '../../../src/network/dns/coredns.ts';
import { rdataText, type DnsResponse, type RRType } from '../../../src/network/dns/message.ts';
import { seededRandom } from '../../../src/util/random.ts';
import { deployment, service, TestNet } from './cluster.ts';

let t: TestNet;
let clusterIP: string;
let podIPs: string[];

function ask(name: string, type: RRType = 'A'): DnsResponse {
  return coreDnsAnswer(t.state, { name, type }, seededRandom('q'));
}

function answers(r: DnsResponse): string[] {
  return r.answer.map((rr) => `${rr.name} ${rr.ttl} ${rr.data.type} ${rdataText(rr.data)}`);
}

beforeAll(() => {
  t = new TestNet();
  t.create(deployment('sample-app', 'amsy810/echo-nginx:v2.0', 3));
  t.create(service('sample-clusterip', { selector: { app: 'sample-app' }, ports: [{ name: 'http-port', port: 8080, targetPort: 80 }] }));
  t.create(service('headless', { clusterIP: 'None', selector: { app: 'sample-app' }, ports: [{ name: 'http', port: 80 }] }));
  t.create(service('empty', { clusterIP: 'None', selector: { app: 'nobody' }, ports: [{ port: 80 }] }));
  t.create(service('my-database', { type: 'ExternalName', externalName: 'db.example.com' }));
  clusterIP = t.state.get<Service>('services', 'default', 'sample-clusterip')!.spec.clusterIP!;
  podIPs = t.pods('sample-app').map((p) => p.status!.podIP!).sort();
});

describe('services', () => {
  test('A record of a ClusterIP Service, authoritative, TTL 30', () => {
    const r = ask('sample-clusterip.default.svc.cluster.local');
    expect(r.rcode).toBe('NOERROR');
    expect(r.aa).toBe(true);
    expect(r.ra).toBe(false);
    expect(answers(r)).toEqual([`sample-clusterip.default.svc.cluster.local. 30 A ${clusterIP}`]);
  });

  test('names are case-insensitive', () => {
    expect(answers(ask('Sample-ClusterIP.Default.SVC.cluster.local.'))).toEqual([`sample-clusterip.default.svc.cluster.local. 30 A ${clusterIP}`]);
  });

  test('AAAA of an IPv4 Service: NOERROR without answers, the zone SOA in authority', () => {
    const r = ask('sample-clusterip.default.svc.cluster.local', 'AAAA');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answer).toEqual([]);
    expect(r.authority.map((rr) => `${rr.name} ${rr.data.type} ${rdataText(rr.data).split(' ').slice(0, 2).join(' ')}`)).toEqual([
      'cluster.local. SOA ns.dns.cluster.local. hostmaster.cluster.local.',
    ]);
  });

  test('an unknown Service, or namespace: NXDOMAIN with the SOA', () => {
    for (const name of ['nope.default.svc.cluster.local', 'sample-clusterip.nons.svc.cluster.local', 'sample-clusterip.default.cluster.local', 'a.b.c.d.default.svc.cluster.local']) {
      const r = ask(name);
      expect(r.rcode, name).toBe('NXDOMAIN');
      expect(r.authority[0].data.type).toBe('SOA');
    }
  });

  test('SRV for a named port, with or without underscores (parseRequest strips a leading _)', () => {
    for (const name of ['_http-port._tcp.sample-clusterip.default.svc.cluster.local.', '_http-port.tcp.sample-clusterip.default.svc.cluster.local.', 'http-port.tcp.sample-clusterip.default.svc.cluster.local.']) {
      const r = ask(name, 'SRV');
      expect(answers(r), name).toEqual([`${name} 30 SRV 0 100 8080 sample-clusterip.default.svc.cluster.local.`]);
      expect(answers({ ...r, answer: r.additional })).toEqual([`sample-clusterip.default.svc.cluster.local. 30 A ${clusterIP}`]);
    }
  });

  test('SRV for a port the Service does not have: NXDOMAIN', () => {
    expect(ask('_https._tcp.sample-clusterip.default.svc.cluster.local.', 'SRV').rcode).toBe('NXDOMAIN');
  });

  test('headless: one A per ready endpoint; none ready: NXDOMAIN', () => {
    const r = ask('headless.default.svc.cluster.local');
    expect(r.answer.map((rr) => rdataText(rr.data)).sort()).toEqual(podIPs);
    expect(ask('empty.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  test('headless SRV: one record per endpoint, weights split, dashed-IP hostnames', () => {
    const r = ask('_http._tcp.headless.default.svc.cluster.local', 'SRV');
    expect(r.answer.map((rr) => rdataText(rr.data)).sort()).toEqual(
      podIPs.map((ip) => `0 33 80 ${ip.replace(/\./g, '-')}.headless.default.svc.cluster.local.`).sort(),
    );
    expect(answers(ask(`${podIPs[0].replace(/\./g, '-')}.headless.default.svc.cluster.local`))).toEqual([
      `${podIPs[0].replace(/\./g, '-')}.headless.default.svc.cluster.local. 30 A ${podIPs[0]}`,
    ]);
  });

  test('ExternalName: a CNAME; its target is outside the cluster and the upstream cannot answer', () => {
    expect(answers(ask('my-database.default.svc.cluster.local'))).toEqual(['my-database.default.svc.cluster.local. 30 CNAME db.example.com.']);
  });
});

describe('pods (pods insecure)', () => {
  test('a-b-c-d.ns.pod.zone answers with the address', () => {
    expect(answers(ask('10-244-9-9.default.pod.cluster.local'))).toEqual(['10-244-9-9.default.pod.cluster.local. 30 A 10.244.9.9']);
  });
  test('not an address, or no such namespace: NXDOMAIN', () => {
    expect(ask('1-2-3.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('10-244-9-9.nons.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });
});

describe('reverse lookups', () => {
  test('a Service IP names the Service', () => {
    const rev = `${clusterIP.split('.').reverse().join('.')}.in-addr.arpa.`;
    expect(answers(ask(rev, 'PTR'))).toEqual([`${rev} 30 PTR sample-clusterip.default.svc.cluster.local.`]);
  });
  test('an endpoint IP names it under each Service selecting it', () => {
    const ip = podIPs[0];
    const rev = `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
    const dashed = ip.replace(/\./g, '-');
    expect(answers(ask(rev, 'PTR')).sort()).toEqual(
      [`${rev} 30 PTR ${dashed}.headless.default.svc.cluster.local.`, `${rev} 30 PTR ${dashed}.sample-clusterip.default.svc.cluster.local.`].sort(),
    );
  });
  test('an address nobody has falls through to forward, which has no upstream: SERVFAIL', () => {
    const r = ask('99.99.244.10.in-addr.arpa.', 'PTR');
    expect(r.rcode).toBe('SERVFAIL');
    expect(r.aa).toBe(false);
  });
});

test('names outside the cluster: SERVFAIL (no internet)', () => {
  const r = ask('example.com', 'A');
  expect(r.rcode).toBe('SERVFAIL');
  expect(r.answer).toEqual([]);
});

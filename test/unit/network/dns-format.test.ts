/**
 * dig's record layout and message sizes, against lines and `MSG SIZE  rcvd:` values real dig
 * printed for answers of CoreDNS in kubeadm clusters.
 */
import { describe, expect, test } from 'vitest';
import { messageSize, type DnsResponse, type RR } from '../../../src/network/dns/message.ts';
import { questionLine, rrLine } from '../../../src/network/dns/present.ts';

const a = (name: string, address: string, ttl = 30): RR => ({ name, ttl, data: { type: 'A', address } });

function response(name: string, type: DnsResponse['question']['type'], answer: RR[]): DnsResponse {
  return { question: { name, type }, rcode: 'NOERROR', aa: true, ra: false, answer, authority: [], additional: [] };
}

describe('dig record lines (masterdump.c columns 24/32/40/48)', () => {
  test('a long owner name gets single separators where the column is passed', () => {
    // dig 9.18.30: "myapp.default.svc.cluster.local. 30 IN\tA\t10.99.179.210"
    expect(rrLine(a('myapp.default.svc.cluster.local.', '10.99.179.210'))).toBe('myapp.default.svc.cluster.local. 30 IN\tA\t10.99.179.210');
    // the seed: "sample-clusterip.default.svc.cluster.local. 30 IN A 10.103.230.182"
    expect(rrLine(a('sample-clusterip.default.svc.cluster.local.', '10.103.230.182'))).toBe('sample-clusterip.default.svc.cluster.local. 30 IN A 10.103.230.182');
  });

  test('a short owner name is tab-aligned', () => {
    // dig 9.9: "yahoo.com.\t\t1249\tIN\tA\t206.190.36.45"
    expect(rrLine(a('yahoo.com.', '206.190.36.45', 1249))).toBe('yahoo.com.\t\t1249\tIN\tA\t206.190.36.45');
  });

  test('PTR lines', () => {
    // dig 9.20: "182.208.108.10.in-addr.arpa. 30 IN      PTR     nginx.default.svc.cluster.local." (tabs shown as spaces)
    const rr: RR = { name: '182.208.108.10.in-addr.arpa.', ttl: 30, data: { type: 'PTR', target: 'nginx.default.svc.cluster.local.' } };
    expect(rrLine(rr)).toBe('182.208.108.10.in-addr.arpa. 30\tIN\tPTR\tnginx.default.svc.cluster.local.');
  });

  test('question lines', () => {
    expect(questionLine({ name: 'yahoo.com.', type: 'A' })).toBe(';yahoo.com.\t\t\tIN\tA');
    expect(questionLine({ name: 'myapp.default.svc.cluster.local.', type: 'A' })).toBe(';myapp.default.svc.cluster.local. IN\tA');
    // the seed: ";182.230.103.10.in-addr.arpa.   IN      PTR"
    expect(questionLine({ name: '182.230.103.10.in-addr.arpa.', type: 'PTR' })).toBe(';182.230.103.10.in-addr.arpa.\tIN\tPTR');
  });
});

describe('message sizes (CoreDNS answers uncompressed)', () => {
  test('A answer with an echoed cookie: 119 bytes (dig 9.18 against CoreDNS)', () => {
    expect(messageSize(response('myapp.default.svc.cluster.local.', 'A', [a('myapp.default.svc.cluster.local.', '10.99.179.210')]), { cookie: true })).toBe(119);
  });

  test('PTR answer with an echoed cookie: 140 bytes', () => {
    const r = response('182.208.108.10.in-addr.arpa.', 'PTR', [
      { name: '182.208.108.10.in-addr.arpa.', ttl: 30, data: { type: 'PTR', target: 'nginx.default.svc.cluster.local.' } },
    ]);
    expect(messageSize(r, { cookie: true })).toBe(140);
  });

  test('five headless A records without a cookie: 349 bytes (dig 9.9)', () => {
    const name = 'myapp-headless.default.svc.cluster.local.';
    const answers = ['10.244.1.18', '10.244.1.19', '10.244.2.15', '10.244.2.16', '10.244.2.17'].map((ip) => a(name, ip, 5));
    expect(messageSize(response(name, 'A', answers), { cookie: false })).toBe(349);
  });

  test('with a cookie, 139 bytes for myapp-clusterip (dig 9.16)', () => {
    const name = 'myapp-clusterip.default.svc.cluster.local.';
    expect(messageSize(response(name, 'A', [a(name, '10.15.212.21')]), { cookie: true })).toBe(139);
  });
});

// Service rows. Cases ported from k8s.io/kubernetes pkg/printers/internalversion/printers_test.go
// (TestPrintService, TestPrintServiceLoadBalancer). The table comes from the server, which renders
// with Wide=true, so load-balancer addresses are never clipped to 16 characters.
import { describe, expect, it } from 'vitest';
import type { Service, ServiceSpec } from '../../../src/api/types.ts';
import { columnNames, rowCells } from './rows.ts';

function svc(name: string, spec: ServiceSpec, ingress?: { ip?: string; hostname?: string }[]): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec,
    ...(ingress ? { status: { loadBalancer: { ingress } } } : {}),
  };
}

const tcp = (port: number, nodePort?: number) => ({ protocol: 'tcp' as 'TCP', port, ...(nodePort ? { nodePort } : {}) });

describe('service columns', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('services')).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
    expect(columnNames('services', true)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
  });
});

describe('printService (TestPrintService)', () => {
  it.each<[string, Service, boolean, string[]]>([
    [
      'cluster IP and port with protocol',
      svc('test1', { type: 'ClusterIP', ports: [tcp(2233)], clusterIPs: ['10.9.8.7'], selector: { foo: 'bar' } }),
      false,
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>'],
    ],
    [
      'wide adds the selector',
      svc('test1', { type: 'ClusterIP', ports: [tcp(2233)], clusterIPs: ['10.9.8.7'], selector: { foo: 'bar' } }),
      true,
      ['test1', 'ClusterIP', '10.9.8.7', '<none>', '2233/tcp', '<unknown>', 'foo=bar'],
    ],
    [
      'NodePort',
      svc('test2', { type: 'NodePort', ports: [tcp(8888, 9999)], clusterIPs: ['10.9.8.7'] }),
      false,
      ['test2', 'NodePort', '10.9.8.7', '<none>', '8888:9999/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer without status',
      svc('test3', { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'] }),
      false,
      ['test3', 'LoadBalancer', '10.9.8.7', '<pending>', '8888/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer with an external IP and no status',
      svc('test4', { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'], externalIPs: ['80.11.12.10'] }),
      false,
      ['test4', 'LoadBalancer', '10.9.8.7', '80.11.12.10', '8888/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer with an external IP and a status',
      svc('test5', { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'], externalIPs: ['80.11.12.10'] }, [
        { ip: '3.4.5.6', hostname: 'test.cluster.com' },
      ]),
      false,
      ['test5', 'LoadBalancer', '10.9.8.7', '3.4.5.6,80.11.12.10', '8888/tcp', '<unknown>'],
    ],
    [
      'LoadBalancer with several external IPs',
      svc(
        'test6',
        { type: 'LoadBalancer', ports: [tcp(8888)], clusterIPs: ['10.9.8.7'], externalIPs: ['80.11.12.10', '80.11.12.11'] },
        [
          { ip: '2.3.4.5', hostname: 'test.cluster.local' },
          { ip: '3.4.5.6', hostname: 'test.cluster.com' },
        ],
      ),
      false,
      ['test6', 'LoadBalancer', '10.9.8.7', '2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11', '8888/tcp', '<unknown>'],
    ],
    [
      'ExternalName',
      svc('test7', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      false,
      ['test7', 'ExternalName', '<none>', 'my.database.example.com', '<none>', '<unknown>'],
    ],
  ])('%s', (_, s, wide, want) => {
    expect(rowCells('services', s, wide)).toEqual(want);
  });
});

describe('printService load balancers (TestPrintServiceLoadBalancer)', () => {
  const ports = [
    { port: 80, protocol: 'TCP' as const },
    { port: 8090, protocol: 'UDP' as const },
    { port: 8000, protocol: 'TCP' as const },
  ];

  it('lists every ingress IP', () => {
    const s = svc('service1', { clusterIPs: ['1.2.3.4'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, [
      { ip: '2.3.4.5' },
      { ip: '3.4.5.6' },
    ]);
    expect(rowCells('services', s)).toEqual(['service1', 'LoadBalancer', '1.2.3.4', '2.3.4.5,3.4.5.6', '80/TCP', '<unknown>']);
  });

  it('is pending without ingress, and lists SCTP ports', () => {
    const s = svc('service2', { clusterIPs: ['1.3.4.5'], type: 'LoadBalancer', ports: [...ports, { port: 7777, protocol: 'SCTP' }] });
    expect(rowCells('services', s)).toEqual([
      'service2', 'LoadBalancer', '1.3.4.5', '<pending>', '80/TCP,8090/UDP,8000/TCP,7777/SCTP', '<unknown>',
    ]);
  });

  it('does not clip long address lists (the server renders wide)', () => {
    const s = svc('service4', { clusterIPs: ['1.5.6.7'], type: 'LoadBalancer', ports, selector: { foo: 'bar' } }, [
      { ip: '2.3.4.5' },
      { ip: '3.4.5.6' },
      { ip: '5.6.7.8', hostname: 'host5678' },
    ]);
    expect(rowCells('services', s, true)).toEqual([
      'service4', 'LoadBalancer', '1.5.6.7', '2.3.4.5,3.4.5.6,5.6.7.8', '80/TCP,8090/UDP,8000/TCP', '<unknown>', 'foo=bar',
    ]);
  });

  it('sorts and de-duplicates addresses, using the hostname when there is no IP', () => {
    const s = svc('lb', { clusterIPs: ['10.96.0.20'], type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] }, [
      { hostname: 'lb.example.com' },
      { ip: '203.0.113.9' },
      { ip: '203.0.113.10' },
      { ip: '203.0.113.9' },
    ]);
    expect(rowCells('services', s)[3]).toBe('203.0.113.10,203.0.113.9,lb.example.com');
  });
});

describe('printService, other cells', () => {
  it('shows None for a headless service and <none> for no selector', () => {
    const s = svc('headless', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }] });
    expect(rowCells('services', s, true)).toEqual(['headless', 'ClusterIP', 'None', '<none>', '80/TCP', '<unknown>', '<none>']);
  });

  it('lists external IPs of a ClusterIP service', () => {
    const s = svc('ext', { type: 'ClusterIP', clusterIPs: ['10.96.0.5'], externalIPs: ['198.51.100.1', '198.51.100.2'], ports: [{ port: 80, protocol: 'TCP' }] });
    expect(rowCells('services', s)[3]).toBe('198.51.100.1,198.51.100.2');
  });

  it('prints <unknown> for an unknown type', () => {
    const s = svc('odd', { type: 'Weird', clusterIPs: ['10.96.0.6'] });
    expect(rowCells('services', s)).toEqual(['odd', 'Weird', '10.96.0.6', '<unknown>', '<none>', '<unknown>']);
  });
});

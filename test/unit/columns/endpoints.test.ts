// Endpoints and EndpointSlice rows. Cases ported from k8s.io/kubernetes
// pkg/printers/internalversion/printers_test.go (TestPrintEndpoint, TestPrintEndpointSlice),
// plus the 2 addresses × 2 ports case as kubectl v1.32 printed it.
import { describe, expect, it } from 'vitest';
import type { EndpointPort, EndpointSlice, EndpointSubset, Endpoints } from '../../../src/api/types.ts';
import { MINUTE, ago, columnNames, rowCells } from './rows.ts';

function ep(name: string, creationTimestamp: string, subsets?: EndpointSubset[]): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, creationTimestamp }, ...(subsets ? { subsets } : {}) };
}

const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

describe('printEndpoints (TestPrintEndpoint)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('endpoints', true)).toEqual(['Name', 'Endpoints', 'Age']);
  });

  it.each<[string, Endpoints, string[]]>([
    ['no subsets', ep('endpoint1', ago(0)), ['endpoint1', '<none>', '0s']],
    ['no ports', ep('endpoint3', ago(5 * MINUTE), [{ addresses: addrs('1.2.3.4', '5.6.7.8') }]), ['endpoint3', '1.2.3.4,5.6.7.8', '5m']],
    [
      'two IPs, one port',
      ep('endpoint2', ago(0), [{ addresses: addrs('1.2.3.4', '5.6.7.8'), ports: [{ port: 8001, protocol: 'tcp' }] }]),
      ['endpoint2', '1.2.3.4:8001,5.6.7.8:8001', '0s'],
    ],
    [
      'more than three',
      ep('endpoint2', ago(0), [
        { addresses: addrs('1.2.3.4', '5.6.7.8', '9.8.7.6', '6.6.6.6'), ports: [{ port: 8001, protocol: 'tcp' }] },
      ]),
      ['endpoint2', '1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...', '0s'],
    ],
  ])('%s', (_, e, want) => {
    expect(rowCells('endpoints', e)).toEqual(want);
  });

  it('walks ports first within a subset (observed: 2 addresses × 2 ports)', () => {
    const e = ep('sample', ago(0), [
      { addresses: addrs('10.244.0.5', '10.244.0.6'), ports: [{ port: 8080, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] },
    ]);
    expect(rowCells('endpoints', e)[1]).toBe('10.244.0.5:8080,10.244.0.6:8080,10.244.0.5:8443 + 1 more...');
  });

  it('never lists not-ready addresses, brackets IPv6, and counts across subsets', () => {
    const e = ep('mixed', ago(0), [
      { addresses: addrs('fd00::1'), notReadyAddresses: addrs('10.0.0.9'), ports: [{ port: 80 }] },
      { addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'), ports: [{ port: 81 }] },
    ]);
    expect(rowCells('endpoints', e)[1]).toBe('[fd00::1]:80,10.0.0.1:81,10.0.0.2:81 + 2 more...');
  });

  it('prints an empty cell for subsets without ready addresses', () => {
    const e = ep('empty', ago(0), [{ notReadyAddresses: addrs('10.0.0.9'), ports: [{ port: 80 }] }]);
    expect(rowCells('endpoints', e)[1]).toBe('');
  });
});

function slice(name: string, creationTimestamp: string, s: Pick<EndpointSlice, 'addressType' | 'ports' | 'endpoints'>): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, creationTimestamp }, ...s };
}

describe('printEndpointSlice (TestPrintEndpointSlice)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('endpointslices', true)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  });

  it.each<[string, EndpointSlice, string[]]>([
    [
      'one port, one endpoint with two addresses',
      slice('abcslice.123', ago(0), {
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }],
      }),
      ['abcslice.123', 'IPv4', '80', '10.1.2.3,2001:db8::1234:5678', '0s'],
    ],
    [
      'two ports, four addresses',
      slice('longerslicename.123', ago(5 * MINUTE), {
        addressType: 'IPv6',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }, { addresses: ['10.2.3.4', '2001:db8::2345:6789'] }],
      }),
      ['longerslicename.123', 'IPv6', '80,443', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
    [
      'four ports',
      slice('multiportslice.123', ago(5 * MINUTE), {
        addressType: 'IPv4',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP' },
          { name: 'https', port: 443, protocol: 'TCP' },
          { name: 'extra1', port: 3000, protocol: 'TCP' },
          { name: 'extra2', port: 3001, protocol: 'TCP' },
        ],
        endpoints: [{ addresses: ['10.1.2.3', '2001:db8::1234:5678'] }, { addresses: ['10.2.3.4', '2001:db8::2345:6789'] }],
      }),
      ['multiportslice.123', 'IPv4', '80,443,3000 + 1 more...', '10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...', '5m'],
    ],
  ])('%s', (_, s, want) => {
    expect(rowCells('endpointslices', s)).toEqual(want);
  });

  it('prints <unset> for empty lists, and a port name or * when the number is unset', () => {
    expect(rowCells('endpointslices', slice('empty', ago(0), { addressType: 'IPv4', ports: null, endpoints: null }))).toEqual([
      'empty', 'IPv4', '<unset>', '<unset>', '0s',
    ]);
    const named = slice('named', ago(0), {
      addressType: 'IPv4',
      ports: [{ name: 'http' } as EndpointPort, {} as EndpointPort],
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false } }],
    });
    expect(rowCells('endpointslices', named).slice(2, 4)).toEqual(['http,*', '10.0.0.1']);
  });
});

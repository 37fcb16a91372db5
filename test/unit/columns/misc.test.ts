// Namespace, ConfigMap and Lease rows, and the NAME AGE fallback. Cases ported from
// k8s.io/kubernetes pkg/printers/internalversion/printers_test.go (TestPrintNamespace,
// TestPrintConfigMap, TestPrintLease).
import { describe, expect, it } from 'vitest';
import type { ConfigMap, KObject, Lease, Namespace } from '../../../src/api/types.ts';
import { MINUTE, ago, columnNames, rowCells } from './rows.ts';

describe('printNamespace (TestPrintNamespace)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('namespaces', true)).toEqual(['Name', 'Status', 'Age']);
  });

  it('prints status and age', () => {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'namespace1', creationTimestamp: ago(-1.9) }, status: { phase: 'Active' } };
    expect(rowCells('namespaces', ns)).toEqual(['namespace1', 'Active', '0s']);
  });

  it('prints an empty status and <unknown> age when absent', () => {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'namespace2' } };
    expect(rowCells('namespaces', ns)).toEqual(['namespace2', '', '<unknown>']);
  });
});

describe('printConfigMap (TestPrintConfigMap)', () => {
  const cm = (name: string, extra: Partial<ConfigMap>): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, creationTimestamp: ago(-1.9) },
    ...extra,
  });

  it('has the v1.32 column set', () => {
    expect(columnNames('configmaps', true)).toEqual(['Name', 'Data', 'Age']);
  });

  it.each<[ConfigMap, string]>([
    [cm('configmap1', {}), '0'],
    [cm('configmap2', { data: { foo: 'bar' } }), '1'],
    [cm('configmap3', { data: { foo: 'bar' }, binaryData: { bin: 'YmluYXJ5IGRhdGE=' } }), '2'],
  ])('%#', (c, data) => {
    expect(rowCells('configmaps', c)).toEqual([c.metadata.name, data, '0s']);
  });
});

describe('printLease (TestPrintLease)', () => {
  const lease = (name: string, holder: string | undefined, created: string): Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, creationTimestamp: created },
    spec: holder === undefined ? {} : { holderIdentity: holder },
  });

  it('has the v1.32 column set', () => {
    expect(columnNames('leases', true)).toEqual(['Name', 'Holder', 'Age']);
  });

  it.each<[Lease, string[]]>([
    [lease('lease1', 'holder1', ago(-1.9)), ['lease1', 'holder1', '0s']],
    [lease('lease2', 'holder2', ago(5 * MINUTE)), ['lease2', 'holder2', '5m']],
    [lease('lease3', undefined, ago(5 * MINUTE)), ['lease3', '', '5m']],
  ])('%#', (l, want) => {
    expect(rowCells('leases', l)).toEqual(want);
  });
});

describe('kinds without a printer', () => {
  it('get NAME and AGE', () => {
    const obj: KObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: ago(90) } };
    expect(columnNames('secrets', true)).toEqual(['Name', 'Age']);
    expect(rowCells('secrets', obj)).toEqual(['s', '90s']);
  });
});

// Ingress and IngressClass rows. Cases ported from k8s.io/kubernetes
// pkg/printers/internalversion/printers_test.go (TestPrintIngress, TestPrintIngressClass), plus
// the formatHosts / formatPorts branches.
import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass, IngressRule } from '../../../src/api/types.ts';
import { DAY, ago, columnNames, rowCells } from './rows.ts';

const TEN_YEARS = 10 * 365 * DAY + 3 * DAY;

function ingress(spec: Ingress['spec'], lb?: { ip?: string; hostname?: string }[]): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'test1', creationTimestamp: ago(TEN_YEARS) },
    spec,
    ...(lb ? { status: { loadBalancer: { ingress: lb } } } : {}),
  };
}

describe('printIngress (TestPrintIngress)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('ingresses', true)).toEqual(['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
  });

  it('prints class, * for no hosts, the address and 80', () => {
    const ing = ingress(
      { ingressClassName: 'foo', defaultBackend: { service: { name: 'default-backend', port: { name: 'default-backend', number: 80 } } } },
      [{ ip: '2.3.4.5', hostname: 'localhost.localdomain' }],
    );
    expect(rowCells('ingresses', ing)).toEqual(['test1', 'foo', '*', '2.3.4.5', '80', '10y']);
  });

  it('prints <none> without a class, an empty address without status, and 80, 443 with TLS', () => {
    const ing = ingress({ rules: [{ host: 'sample.example.com' }], tls: [{ hosts: ['sample.example.com'] }] });
    expect(rowCells('ingresses', ing)).toEqual(['test1', '<none>', 'sample.example.com', '', '80, 443', '10y']);
  });

  it.each<[IngressRule[], string]>([
    [[{ host: 'a' }, {}, { host: 'b' }], 'a,b'],
    [[{ host: 'a' }, { host: 'b' }, { host: 'c' }], 'a,b,c'],
    [[{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, {}], 'a,b,c + 2 more...'],
    [[{}, {}], '*'],
  ])('hosts of %j: %s', (rules, hosts) => {
    expect(rowCells('ingresses', ingress({ rules }))[2]).toBe(hosts);
  });
});

function ingressClass(name: string, years: number, spec: IngressClass['spec']): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, creationTimestamp: ago(years * 365 * DAY + 3 * DAY) },
    spec,
  };
}

describe('printIngressClass (TestPrintIngressClass)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('ingressclasses', true)).toEqual(['Name', 'Controller', 'Parameters', 'Age']);
  });

  it.each<[string, IngressClass, string[]]>([
    [
      'with params',
      ingressClass('test1', 10, { controller: 'example.com/controller', parameters: { kind: 'customgroup', name: 'example' } }),
      ['test1', 'example.com/controller', 'customgroup/example', '10y'],
    ],
    [
      'with params and an API group',
      ingressClass('test1', 10, { controller: 'example.com/controller', parameters: { apiGroup: 'example.com', kind: 'customgroup', name: 'example' } }),
      ['test1', 'example.com/controller', 'customgroup.example.com/example', '10y'],
    ],
    ['without params', ingressClass('test2', 11, { controller: 'example.com/controller2' }), ['test2', 'example.com/controller2', '<none>', '11y']],
  ])('%s', (_, ic, want) => {
    expect(rowCells('ingressclasses', ic)).toEqual(want);
  });
});

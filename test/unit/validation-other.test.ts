import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/api/defaults.ts';
import type { KObject } from '../../src/api/types.ts';
import { validateObject } from '../../src/api/validation/index.ts';

const messages = (obj: Record<string, unknown>, old?: Record<string, unknown>) => {
  applyDefaults(obj as KObject);
  if (old) applyDefaults(old as KObject);
  return validateObject(obj as KObject, old as KObject | undefined).map(String);
};

function ingress(spec: Record<string, unknown>, meta: Record<string, unknown> = {}) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default', ...meta }, spec };
}
const backend = { service: { name: 'web', port: { number: 80 } } };
const rule = (path: Record<string, unknown>, host?: string) => ({ ...(host ? { host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend, ...path }] } });

// service-semantics.md §9.1; pkg/apis/networking/validation/validation.go.
describe('ValidateIngress', () => {
  it('accepts a valid ingress', () => {
    expect(messages(ingress({ ingressClassName: 'nginx', rules: [rule({}, 'web.example.com')], tls: [{ hosts: ['*.example.com'], secretName: 'tls' }] }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['rules or defaultBackend', ingress({}), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']],
    ['host is not an IP', ingress({ rules: [rule({}, '10.0.0.1')] }), ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']],
    ['wildcard host', ingress({ rules: [rule({}, 'foo.*.example.com')] }), [
      `spec.rules[0].host: Invalid value: "foo.*.example.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['paths required', ingress({ rules: [{ http: { paths: [] } }] }), ['spec.rules[0].http.paths: Required value']],
    ['pathType required', ingress({ rules: [rule({ pathType: undefined })] }), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['pathType values', ingress({ rules: [rule({ pathType: 'Regex' })] }), [
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ]],
    ['absolute paths', ingress({ rules: [rule({ path: 'api' })] }), ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']],
    ['no // in Prefix paths', ingress({ rules: [rule({ path: '/a//b' })] }), ["spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"]],
    ['no trailing /..', ingress({ rules: [rule({ path: '/a/..' })] }), ["spec.rules[0].http.paths[0].path: Invalid value: \"/a/..\": cannot end with '/..'"]],
    ['backend required', ingress({ rules: [rule({ backend: {} })] }), ['spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required']],
    ['port name or number', ingress({ rules: [rule({ backend: { service: { name: 'web' } } })] }), [
      'spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
    ]],
    ['not both port name and number', ingress({ rules: [rule({ backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } })] }), [
      'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
    ]],
    ['service name DNS-1035', ingress({ defaultBackend: { service: { name: '1web', port: { number: 80 } } } }), [
      `spec.defaultBackend.service.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['class annotation and field', ingress({ ingressClassName: 'nginx', defaultBackend: backend }, { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }), [
      'annotations.kubernetes.io/ingress.class: Invalid value: "nginx": can not be set when the class field is also set',
    ]],
  ])('%s', (_name, ing, expected) => {
    expect(messages(ing)).toEqual(expected);
  });
});

describe('ValidateIngressClass', () => {
  const ic = (controller: string, name = 'nginx') => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller } });
  it('requires a domain-prefixed controller', () => {
    expect(messages(ic('k8s.io/ingress-nginx'))).toEqual([]);
    expect(messages(ic(''))).toEqual(['spec.controller: Required value']);
    expect(messages(ic('nginx'))).toEqual(['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  });
  it('controller is immutable', () => {
    expect(messages(ic('example.com/b'), ic('example.com/a'))).toEqual(['spec.controller: Invalid value: "example.com/b": field is immutable']);
  });
  it('is cluster-scoped', () => {
    expect(messages({ ...ic('k8s.io/x'), metadata: { name: 'nginx', namespace: 'default' } })).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
});

describe('ValidateConfigMap', () => {
  const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data, ...extra });
  it('validates keys (validation.IsConfigMapKey)', () => {
    expect(messages(cm({ 'app.properties': 'x' }))).toEqual([]);
    expect(messages(cm({ 'a b': 'x' }))).toEqual([
      `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]);
    expect(messages(cm({ '..data': 'x' }))).toEqual(["data[..data]: Invalid value: \"..data\": must not start with '..'"]);
  });
  it('limits the total size to 1MiB', () => {
    expect(messages(cm({ big: 'x'.repeat(1024 * 1024 + 1) }))).toEqual([': Too long: may not be more than 1048576 bytes']);
  });
  it('keeps immutable data', () => {
    expect(messages(cm({ a: '2' }, { immutable: true }), cm({ a: '1' }, { immutable: true }))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });
});

describe('ValidateEndpoints / ValidateEndpointSlice', () => {
  it('Endpoints addresses and ports', () => {
    const ep = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 80 }, { port: 81, name: 'b' }] }, { ports: [{ port: 80 }] }],
    };
    expect(messages(ep)).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[0].ports[0].name: Required value',
      'subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`',
    ]);
  });
  it('EndpointSlice address type and addresses', () => {
    const slice = (addressType: string, addresses: string[]) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abcde', namespace: 'default' },
      addressType,
      endpoints: [{ addresses }],
      ports: [{ port: 80 }],
    });
    expect(messages(slice('IPv4', ['10.244.1.5']))).toEqual([]);
    expect(messages(slice('IPv5', ['10.244.1.5']))).toEqual(['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']);
    expect(messages(slice('IPv4', []))).toEqual(['endpoints[0].addresses: Required value: must contain at least 1 address']);
    expect(messages(slice('IPv4', ['fe80::1']))).toEqual(['endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address']);
  });
});

describe('ValidateNamespace / ValidateNode / ValidateLease', () => {
  it('namespace names are DNS-1123 labels', () => {
    expect(messages({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } })).toEqual(['metadata.name: Invalid value: "team.a": must not contain dots']);
  });
  it('node taints', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoRun' }] } };
    expect(messages(node)).toEqual(['metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  });
  it('lease duration', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } };
    expect(messages(lease)).toEqual(['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
  });
});

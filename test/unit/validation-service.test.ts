import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/api/defaults.ts';
import type { KObject, Service } from '../../src/api/types.ts';
import { validateObject, validateServiceClusterIPFields } from '../../src/api/validation/index.ts';

type Spec = Record<string, unknown>;

/** A defaulted Service as it reaches validation after allocation. */
function service(spec: Spec, meta: Record<string, unknown> = {}): KObject {
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80 }], ...spec },
  } as KObject;
  applyDefaults(svc);
  return svc;
}

const messages = (obj: KObject, old?: KObject) => validateObject(obj, old).map(String);

// Messages per service-semantics.md §2.3 and pkg/apis/core/validation/validation.go (ValidateService).
describe('ValidateService', () => {
  it('accepts a valid service', () => {
    expect(messages(service({}))).toEqual([]);
  });

  it.each<[string, KObject, string[]]>([
    ['name must be a DNS-1035 label', service({}, { name: '1web' }), [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['ports required', service({ ports: [] }), ['spec.ports: Required value']],
    ['headless needs no ports', service({ clusterIP: 'None', clusterIPs: ['None'], ports: [] }), []],
    ['LoadBalancer may not be headless', service({ type: 'LoadBalancer', clusterIP: 'None', clusterIPs: ['None'] }), [
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services",
    ]],
    ['NodePort may not be headless', service({ type: 'NodePort', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, nodePort: 30080 }] }), [
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
    ]],
    ['port names required with several ports', service({ ports: [{ port: 80, name: 'http' }, { port: 443 }] }), ['spec.ports[1].name: Required value']],
    ['port names unique', service({ ports: [{ port: 80, name: 'http' }, { port: 81, name: 'http' }] }), ['spec.ports[1].name: Duplicate value: "http"']],
    ['port name DNS-1123 label', service({ ports: [{ port: 80, name: 'HTTP' }] }), [
      `spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['port range', service({ ports: [{ port: 65536, targetPort: 80 }] }), ['spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive']],
    ['protocol values', service({ ports: [{ port: 80, protocol: 'tcp' }] }), [
      'spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    ]],
    ['quoted numeric targetPort is a name', service({ ports: [{ port: 80, targetPort: '8080' }] }), [
      'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
    ]],
    ['targetPort name too long', service({ ports: [{ port: 80, targetPort: 'a-very-long-port-name' }] }), [
      'spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters',
    ]],
    ['duplicate (protocol, port)', service({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] }), [
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]],
    ['nodePort forbidden on ClusterIP', service({ ports: [{ port: 80, nodePort: 30080 }] }), [
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]],
    ['duplicate nodePort for one protocol', service({ type: 'NodePort', ports: [{ port: 80, name: 'a', nodePort: 30080 }, { port: 81, name: 'b', nodePort: 30080 }] }), [
      'spec.ports[1].nodePort: Duplicate value: 30080',
    ]],
    ['type values', service({ type: 'Foo' }), [
      'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]],
    ['ClientIP timeout range', service({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } }), [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
    ]],
    ['sessionAffinity values', service({ sessionAffinity: 'Sticky' }), [
      'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
    ]],
    ['externalIPs must not be special', service({ externalIPs: ['127.0.0.1'] }), [
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]],
    ['externalIPs must be IPs', service({ externalIPs: ['not-an-ip'] }), [
      'spec.externalIPs[0]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]],
    ['loadBalancerSourceRanges only for LoadBalancer', service({ loadBalancerSourceRanges: ['10.0.0.0/8'] }), [
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]],
    ['loadBalancerSourceRanges CIDRs', service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/33'] }), [
      'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]],
    ['source ranges annotation on a non-LB service', service({}, { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '' } }), [
      "metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]],
    ['allocateLoadBalancerNodePorts only for LoadBalancer', service({ allocateLoadBalancerNodePorts: false }), [
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]],
    ['loadBalancerClass only for LoadBalancer', service({ loadBalancerClass: 'example.com/lb' }), [
      "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]],
    ['externalTrafficPolicy only when externally accessible', service({ externalTrafficPolicy: 'Local' }), [
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]],
    ['healthCheckNodePort only for LB + Local', service({ healthCheckNodePort: 31000 }), [
      "spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ]],
    ['internalTrafficPolicy values', service({ internalTrafficPolicy: 'Node' }), [
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ]],
    ['trafficDistribution values', service({ trafficDistribution: 'Anywhere' }), [
      'spec.trafficDistribution: Unsupported value: "Anywhere": supported values: "PreferClose"',
    ]],
    ['topology annotations must agree', service({}, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto', 'service.kubernetes.io/topology-aware-hints': 'Disabled' } }), [
      'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    ]],
  ])('%s', (_name, svc, expected) => {
    expect(messages(svc)).toEqual(expected);
  });

  it('ExternalName: required name, DNS subdomain, and no cluster IP fields', () => {
    const base = { type: 'ExternalName', clusterIP: undefined, clusterIPs: undefined, ipFamilies: undefined, ipFamilyPolicy: undefined, ports: undefined };
    expect(messages(service({ ...base }))).toEqual(['spec.externalName: Required value']);
    expect(messages(service({ ...base, externalName: 'db.example.com.' }))).toEqual([]);
    expect(messages(service({ ...base, externalName: 'db_example' }))[0]).toMatch(/^spec\.externalName: Invalid value: "db_example": a lowercase RFC 1123 subdomain/);
    expect(messages(service({ ...base, externalName: 'db.example.com', clusterIP: '10.96.0.5', ipFamilyPolicy: 'SingleStack' }))).toEqual([
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ]);
  });
});

describe('ValidateServiceClusterIPsRelatedFields', () => {
  const svc = (spec: Spec) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec }) as unknown as Service;
  it.each<[Spec, string[]]>([
    [{ clusterIP: '10.96.0.1' }, []],
    [{ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.2'] }, ['spec.clusterIPs: Invalid value: []string{"10.96.0.2"}: first value must match `clusterIP`']],
    [{ clusterIPs: ['10.96.0.2'] }, ['spec.clusterIPs: Invalid value: []string{"10.96.0.2"}: must be empty when `clusterIP` is not specified']],
    [{ clusterIP: 'x' }, ['spec.clusterIPs[0]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    [{ clusterIP: 'None', clusterIPs: ['None', '10.96.0.1'] }, ['spec.clusterIPs: Invalid value: []string{"None", "10.96.0.1"}: \'None\' must be the first and only value']],
    [{ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1', '10.96.0.2'] }, ['spec.clusterIPs: Invalid value: []string{"10.96.0.1", "10.96.0.2"}: may specify no more than one IP for each IP family']],
    [{ ipFamilies: ['IPv5'] }, ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"']],
    [{ ipFamilies: ['IPv4', 'IPv4'] }, ['spec.ipFamilies[1]: Duplicate value: "IPv4"']],
    [{ ipFamilyPolicy: 'Dual' }, ['spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"']],
    [{ clusterIP: '2001:db8::1', ipFamilies: ['IPv4'] }, ['spec.clusterIPs[0]: Invalid value: "2001:db8::1": expected an IPv4 value as indicated by `ipFamilies[0]`']],
    [{ type: 'ExternalName', clusterIP: 'x' }, []],
  ])('%j', (spec, expected) => {
    expect(validateServiceClusterIPFields(svc(spec), undefined).map(String)).toEqual(expected);
  });
});

describe('ValidateServiceUpdate', () => {
  it('clusterIPs may not change', () => {
    const old = service({}, { resourceVersion: '1' });
    const updated = service({ clusterIP: '10.96.0.21', clusterIPs: ['10.96.0.21'] }, { resourceVersion: '1' });
    expect(messages(updated, old)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.21"}: may not change once set']);
  });

  it('loadBalancerClass may not change while LoadBalancer', () => {
    const old = service({ type: 'LoadBalancer', loadBalancerClass: 'example.com/a' });
    const updated = service({ type: 'LoadBalancer', loadBalancerClass: 'example.com/b' });
    expect(messages(updated, old)).toEqual(['spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set']);
  });

  it('healthCheckNodePort is immutable for LB + Local', () => {
    const spec = { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30080 }] };
    const old = service({ ...spec, healthCheckNodePort: 31000 });
    const updated = service({ ...spec, healthCheckNodePort: 31001 });
    expect(messages(updated, old)).toEqual(['spec.healthCheckNodePort: Forbidden: field is immutable']);
  });

  it('name is immutable', () => {
    expect(messages(service({}, { name: 'other' }), service({}))).toEqual(['metadata.name: Invalid value: "other": field is immutable']);
  });
});

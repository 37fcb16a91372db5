/**
 * How `expose` derives a Service from an object. Expected Services are what kubectl v1.32
 * printed with `expose ... --dry-run=client -o json` for the same objects.
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { exposeOptionsFromFlags, serviceForObject } from '../../src/commands/expose.ts';

const pod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'pooh-db-nginx-pod', labels: { app: 'pooh-db-nginx-app' } },
  spec: { containers: [{ name: 'pooh-db-nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
};

const multi: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'multi', labels: { app: 'multi', tier: 'web' } },
  spec: {
    selector: { matchLabels: { app: 'multi' } },
    template: {
      metadata: { labels: { app: 'multi' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }] },
          { name: 'cache', image: 'redis', ports: [{ containerPort: 6379 }, { containerPort: 80 }] },
        ],
      },
    },
  },
};

const lbService: KObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'pooh-lb-service', labels: { app: 'pooh-service-label' } },
  spec: { type: 'LoadBalancer', ports: [{ name: 'nginx', port: 8080, protocol: 'TCP', targetPort: 80, nodePort: 30002 }], selector: { app: 'pooh-db-nginx-app' } },
};

const expose = (obj: KObject, flags: Record<string, string> = {}) => serviceForObject(exposeOptionsFromFlags(flags), obj);

describe('expose', () => {
  it('exposes a pod on its container port, with its labels as selector and labels', () => {
    expect(expose(pod, { name: 'pooh-pod-service', type: 'ClusterIP' })).toEqual({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'pooh-pod-service', creationTimestamp: null, labels: { app: 'pooh-db-nginx-app' } },
      spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }], selector: { app: 'pooh-db-nginx-app' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
  });

  it('names several ports port-N, and port-N-<protocol> when one number has several protocols', () => {
    expect(expose(multi).spec).toEqual({
      ports: [
        { name: 'port-1-tcp', protocol: 'TCP', port: 80, targetPort: 80 },
        { name: 'port-1-tcp', protocol: 'TCP', port: 80, targetPort: 80 },
        { name: 'port-2-udp', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'port-2-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'port-3', protocol: 'TCP', port: 6379, targetPort: 6379 },
      ],
      selector: { app: 'multi' },
    });
    expect(expose(multi, { port: '53' }).spec).toMatchObject({
      ports: [
        { name: 'port-1-udp', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'port-1-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      ],
    });
  });

  it('copies a service\'s port numbers with targetPort equal to the port, not its type', () => {
    expect(expose(lbService).spec).toEqual({ ports: [{ protocol: 'TCP', port: 8080, targetPort: 8080 }], selector: { app: 'pooh-db-nginx-app' } });
  });

  it('applies the flags', () => {
    const svc = expose(multi, {
      port: '53',
      protocol: 'SCTP',
      'target-port': 'dns',
      type: 'LoadBalancer',
      'load-balancer-ip': '1.2.3.4',
      'external-ip': '5.6.7.8',
      'session-affinity': 'ClientIP',
      'cluster-ip': '10.96.5.5',
      name: 'x',
      labels: 'a=b,c=d',
      selector: 'k=v',
    });
    expect(svc.metadata).toEqual({ name: 'x', creationTimestamp: null, labels: { a: 'b', c: 'd' } });
    expect(svc.spec).toEqual({
      ports: [{ protocol: 'SCTP', port: 53, targetPort: 'dns' }],
      selector: { k: 'v' },
      clusterIP: '10.96.5.5',
      type: 'LoadBalancer',
      externalIPs: ['5.6.7.8'],
      sessionAffinity: 'ClientIP',
      loadBalancerIP: '1.2.3.4',
    });
    // --load-balancer-ip only counts for LoadBalancer; --target-port parses like intstr.Parse
    expect(expose(pod, { 'load-balancer-ip': '1.2.3.4', type: 'NodePort', 'target-port': '08080' }).spec).toEqual({
      ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
      selector: { app: 'pooh-db-nginx-app' },
      type: 'NodePort',
    });
  });

  it('makes a headless service without ports only with --cluster-ip=None', () => {
    const noPorts: KObject = { ...pod, spec: { containers: [{ name: 'a', image: 'nginx' }] } };
    expect(() => expose(noPorts)).toThrow("couldn't find port via --port flag or introspection");
    expect(expose(noPorts, { 'cluster-ip': 'None' }).spec).toEqual({ selector: { app: 'pooh-db-nginx-app' }, clusterIP: 'None' });
  });

  it('keeps what it derived from one object for the next ones, as kubectl does', () => {
    const o = exposeOptionsFromFlags({});
    serviceForObject(o, multi);
    const second = serviceForObject(o, lbService);
    expect(second.metadata).toEqual({ name: 'pooh-lb-service', creationTimestamp: null, labels: { app: 'multi', tier: 'web' } });
    expect(second.spec).toEqual({
      ports: [
        { name: 'port-1', protocol: 'TCP', port: 80, targetPort: 80 },
        { name: 'port-2', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'port-3', protocol: 'TCP', port: 6379, targetPort: 6379 },
      ],
      selector: { app: 'multi' },
    });
  });

  it.each<[string, KObject, Record<string, string>, string]>([
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, {}, 'cannot expose a ConfigMap'],
    ['an EndpointSlice', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e' } }, {}, 'cannot expose a EndpointSlice.discovery.k8s.io'],
    ['a pod without labels', { ...pod, metadata: { name: 'p' } }, {}, "couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed"],
    ['a service without selector', { ...lbService, spec: { ports: [{ port: 80 }], selector: {} } }, {}, "couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set"],
    [
      'a deployment with selector expressions',
      { ...multi, spec: { selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 't', operator: 'Exists' }] } } },
      {},
      'couldn\'t convert expressions - "[{Key:tier Operator:In Values:[a b]} {Key:t Operator:Exists Values:[]}]" to map-based selector format',
    ],
    ['a replica set without matchLabels', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: {} } }, {}, 'invalid replicaset: no selectors, therefore cannot be exposed'],
    ['a bad port', pod, { port: 'http' }, 'strconv.Atoi: parsing "http": invalid syntax'],
    ['a bad session affinity', pod, { 'session-affinity': 'Sticky' }, 'unknown session affinity: Sticky'],
    ['a set-based --selector', pod, { selector: 'a in (b)' }, 'unexpected label spec: a in (b)'],
    ['an empty label key', pod, { labels: '=x' }, 'unexpected empty label key'],
    ['an unknown override type', pod, { overrides: '{}', 'override-type': 'yaml' }, 'invalid override type: yaml'],
  ])('refuses %s', (_what, obj, flags, message) => {
    expect(() => expose(obj, flags)).toThrow(message);
  });

  it('applies --overrides to the generated Service', () => {
    expect(expose(pod, { overrides: '{"spec":{"type":"NodePort"}}' }).spec).toMatchObject({ type: 'NodePort' });
    expect(expose(pod, { overrides: '[{"op":"add","path":"/spec/type","value":"NodePort"}]', 'override-type': 'json' }).spec).toMatchObject({ type: 'NodePort' });
    // unknown fields are dropped when the result is decoded back into the Service struct
    expect(expose(pod, { overrides: '{"spec":{"bogus":1}}', 'override-type': 'strategic' }).spec).not.toHaveProperty('bogus');
    expect(() => expose(pod, { overrides: 'bad' })).toThrow('Invalid JSON Patch');
  });
});

import { describe, expect, it } from 'vitest';
import { admitPod, applyDefaults } from '../../src/api/defaults.ts';
import type { KObject, Pod } from '../../src/api/types.ts';

const obj = (o: Record<string, unknown>) => o as KObject;

describe('applyDefaults: Service (SetDefaults_Service)', () => {
  it('fills a minimal ClusterIP service as service-semantics.md §1.1 describes', () => {
    const svc = obj({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } });
    applyDefaults(svc);
    expect(svc.spec).toEqual({
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'web' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it('defaults LoadBalancer fields and the ingress ipMode', () => {
    const svc = obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb' },
      spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'lb.example.com' }] } },
    });
    applyDefaults(svc);
    expect(svc.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, internalTrafficPolicy: 'Cluster' });
    expect((svc.spec as { ports: unknown[] }).ports).toEqual([{ port: 443, targetPort: 'https', protocol: 'TCP' }]);
    expect(svc.status).toEqual({ loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } });
  });

  it('sets externalTrafficPolicy on a ClusterIP service only with externalIPs', () => {
    const a = obj({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { externalIPs: ['192.0.2.1'] } });
    const b = obj({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: {} });
    applyDefaults(a);
    applyDefaults(b);
    expect((a.spec as Record<string, unknown>).externalTrafficPolicy).toBe('Cluster');
    expect((b.spec as Record<string, unknown>).externalTrafficPolicy).toBeUndefined();
  });

  it('drops sessionAffinityConfig for None and defaults the ClientIP timeout to 10800', () => {
    const none = obj({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } } });
    const client = obj({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { sessionAffinity: 'ClientIP' } });
    applyDefaults(none);
    applyDefaults(client);
    expect((none.spec as Record<string, unknown>).sessionAffinityConfig).toBeUndefined();
    expect((client.spec as Record<string, unknown>).sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });

  it('does not default internalTrafficPolicy for ExternalName', () => {
    const svc = obj({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    applyDefaults(svc);
    expect((svc.spec as Record<string, unknown>).internalTrafficPolicy).toBeUndefined();
  });
});

// The spec of a Deployment-created pod as a v1.32 kubeadm cluster returns it (the sample pod of
// the comparison objects, captured from a real server), minus the scheduler's nodeName.
const SERVER_POD_SPEC = {
  containers: [
    {
      name: 'nginx',
      image: 'nginx:1.27',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      env: [{ name: 'MODE', value: 'demo' }],
      resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
      readinessProbe: {
        httpGet: { path: '/', port: 'http', scheme: 'HTTP' },
        periodSeconds: 5,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
      },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/nginx/conf.d' },
        { name: 'kube-api-access-2xkqp', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
      ],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
  volumes: [
    { name: 'config', configMap: { name: 'web-config', defaultMode: 420 } },
    {
      name: 'kube-api-access-2xkqp',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ],
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
  priority: 0,
  serviceAccount: 'default',
  serviceAccountName: 'default',
  tolerations: [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ],
};

function templatePod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c8f5d-2xkqp', namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80 }],
          env: [{ name: 'MODE', value: 'demo' }],
          resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
          volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/conf.d' }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
    },
  } as Pod;
}

describe('applyDefaults + admitPod: Pod', () => {
  it('produces what a kubeadm cluster stores for a new pod', () => {
    const pod = templatePod();
    applyDefaults(pod);
    expect(admitPod(pod, { tokenVolumeSuffix: '2xkqp' })).toBeUndefined();
    expect(pod.spec).toEqual(SERVER_POD_SPEC);
  });

  it('defaults imagePullPolicy from the tag (SetDefaults_Container)', () => {
    for (const [image, policy] of [
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['nginx:1.27', 'IfNotPresent'],
      ['localhost:5000/nginx', 'Always'],
      ['nginx@sha256:6784fb0834aa7dbbe12e3d7471e69c290df3e6ba810dc38b34ae33d3c1c05f7d', 'IfNotPresent'],
    ]) {
      const pod = obj({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'c', image }] } });
      applyDefaults(pod);
      expect((pod.spec as { containers: { imagePullPolicy: string }[] }).containers[0].imagePullPolicy).toBe(policy);
    }
  });

  it('copies limits into missing requests and hostPort for hostNetwork pods (SetDefaults_Pod)', () => {
    const pod = obj({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {},
      spec: { hostNetwork: true, containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '1' } } }] },
    });
    applyDefaults(pod);
    const c = (pod.spec as { containers: Record<string, unknown>[] }).containers[0];
    expect(c.resources).toEqual({ limits: { cpu: '1' }, requests: { cpu: '1' } });
    expect(c.ports).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }]);
  });

  it('leaves the token out when automountServiceAccountToken is false', () => {
    const pod = templatePod();
    pod.spec.automountServiceAccountToken = false;
    applyDefaults(pod);
    admitPod(pod, { tokenVolumeSuffix: 'abcde' });
    expect(pod.spec.volumes).toHaveLength(1);
    expect(pod.spec.containers[0].volumeMounts).toHaveLength(1);
    expect(pod.spec.serviceAccountName).toBe('default');
  });

  it('keeps an existing toleration that already covers a taint (DefaultTolerationSeconds)', () => {
    const pod = templatePod();
    pod.spec.tolerations = [{ operator: 'Exists' }];
    applyDefaults(pod);
    admitPod(pod, { tokenVolumeSuffix: 'abcde' });
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('refuses what the Priority plugin refuses', () => {
    const unknown = templatePod();
    unknown.spec.priorityClassName = 'gold';
    expect(admitPod(unknown, { tokenVolumeSuffix: 'abcde' })).toBe('no PriorityClass with name gold was found');
    const critical = templatePod();
    critical.spec.priorityClassName = 'system-node-critical';
    expect(admitPod(critical, { tokenVolumeSuffix: 'abcde' })).toBeUndefined();
    expect(critical.spec.priority).toBe(2000001000);
  });
});

describe('applyDefaults: apps/v1', () => {
  it('matches the stored sample Deployment (apps/v1 SetDefaults_Deployment + PodSpec defaults)', () => {
    const d = obj({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    });
    applyDefaults(d);
    expect(d.spec).toEqual({
      replicas: 1,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              imagePullPolicy: 'IfNotPresent',
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    });
  });

  it('does not add rollingUpdate to a Recreate strategy', () => {
    const d = obj({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { strategy: { type: 'Recreate' } } });
    applyDefaults(d);
    expect((d.spec as Record<string, unknown>).strategy).toEqual({ type: 'Recreate' });
  });
});

describe('applyDefaults: other kinds', () => {
  it('Namespace: label, finalizer and phase', () => {
    const ns = obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    applyDefaults(ns);
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('EndpointSlice ports get name "" and TCP (discovery/v1 SetDefaults_EndpointPort)', () => {
    const s = obj({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: {}, addressType: 'IPv4', ports: [{ port: 80 }] });
    applyDefaults(s);
    expect(s.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(s.endpoints).toBeNull();
  });

  it('Endpoints ports get TCP', () => {
    const e = obj({ apiVersion: 'v1', kind: 'Endpoints', metadata: {}, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
    applyDefaults(e);
    expect(e.subsets).toEqual([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });
});

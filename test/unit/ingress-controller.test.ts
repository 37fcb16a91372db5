/**
 * The ingress-nginx controller's writes: Ingress status addresses (internal/ingress/status/
 * status.go runningAddresses) and `Sync` events (internal/ingress/controller/store/store.go), and
 * how the controller's own flags are read from its pod.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment, Event, Ingress, KObject, Pod } from '../../src/api/types.ts';
import { createObject, updateObject, type ApiContext } from '../../src/apiserver/api.ts';
import { newClusterState } from '../../src/cluster/bootstrap.ts';
import { EventRecorder } from '../../src/controllers/events.ts';
import '../../src/controllers/ingress-nginx.ts';
import '../../src/controllers/load-balancer.ts';
import { reconcile } from '../../src/controllers/reconcile.ts';
import { controllerConfig, publishedAddresses } from '../../src/ingress/controller.ts';
import { ingressNginxObjects, installIngressNginx } from '../../src/ingress/install.ts';
import { DEFAULT_CONFIG, type LoadBalancerConfig } from '../../src/store/meta.ts';
import type { ClusterState } from '../../src/store/state.ts';
import { rfc3339 } from '../../src/util/duration.ts';
import { seededRandom } from '../../src/util/random.ts';

const NOW = new Date('2026-11-21T10:00:00Z');

function cluster(opts: { loadBalancer?: LoadBalancerConfig; install?: boolean } = {}) {
  const rng = seededRandom('ingress-controller');
  const lbConfig = opts.loadBalancer ?? { mode: 'none' };
  const state = newClusterState({ ...structuredClone(DEFAULT_CONFIG), loadBalancer: lbConfig }, NOW, rng);
  const api: ApiContext = { state, now: NOW, rng };
  const settle = () => reconcile({ state, now: NOW, nowText: rfc3339(NOW), rng, config: state.meta.config, events: new EventRecorder(state, NOW, rng) });
  settle();
  if (opts.install !== false) {
    installIngressNginx(api, { loadBalancer: lbConfig.mode === 'pool' });
    settle();
  }
  return {
    state,
    api,
    settle,
    add(...objs: KObject[]) {
      for (const o of objs) createObject(api, o);
      settle();
    },
  };
}

function ingress(name: string, annotations?: Record<string, string>): KObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { rules: [{ host: 'web.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  } as KObject;
}

const get = (state: ClusterState, name: string) => state.get<Ingress>('ingresses', 'default', name)!;
const syncEvents = (state: ClusterState, name: string) =>
  state
    .list<Event>('events', 'default')
    .filter((e) => e.involvedObject.kind === 'Ingress' && e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.source?.component}: ${e.message} x${e.count}`);

function controllerNode(state: ClusterState): string {
  const pod = state.list<Pod>('pods', 'ingress-nginx')[0];
  return pod.spec.nodeName!;
}

describe('Ingress status', () => {
  it('publishes the InternalIP of the node running the controller (bare-metal NodePort install)', () => {
    const c = cluster();
    c.add(ingress('web'));
    const node = controllerNode(c.state);
    const ip = { 'kfake-worker': '172.18.0.3', 'kfake-worker2': '172.18.0.4' }[node];
    expect(get(c.state, 'web').status).toEqual({ loadBalancer: { ingress: [{ ip }] } });
  });

  it("publishes the controller Service's load-balancer address with --publish-service", () => {
    const c = cluster({ loadBalancer: { mode: 'pool', pool: '172.18.255.200-172.18.255.250' } });
    c.add(ingress('web'));
    expect(get(c.state, 'web').status).toEqual({ loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } });
  });

  it('empties the addresses when the last controller pod stops, and publishes them again when one runs', () => {
    const c = cluster();
    c.add(ingress('web'));
    const deploy = structuredClone(c.state.get<Deployment>('deployments', 'ingress-nginx', 'ingress-nginx-controller')!);
    deploy.spec.replicas = 0;
    updateObject(c.api, deploy);
    c.settle();
    expect(c.state.list('pods', 'ingress-nginx')).toEqual([]);
    expect(get(c.state, 'web').status).toEqual({ loadBalancer: {} });
    const again = structuredClone(c.state.get<Deployment>('deployments', 'ingress-nginx', 'ingress-nginx-controller')!);
    again.spec.replicas = 1;
    updateObject(c.api, again);
    c.settle();
    expect(get(c.state, 'web').status?.loadBalancer?.ingress).toHaveLength(1);
  });

  it('leaves Ingresses of another class, and all Ingresses without a running controller, alone', () => {
    const c = cluster();
    c.add(ingress('other', { 'kubernetes.io/ingress.class': 'traefik' }));
    expect(get(c.state, 'other').status).toEqual({ loadBalancer: {} });
    expect(syncEvents(c.state, 'other')).toEqual([]);
    const bare = cluster({ install: false });
    bare.add(ingress('web'));
    expect(get(bare.state, 'web').status).toEqual({ loadBalancer: {} });
    expect(syncEvents(bare.state, 'web')).toEqual([]);
  });
});

describe('Sync events', () => {
  it('records "Scheduled for sync" for the new Ingress and again for its status update', () => {
    const c = cluster();
    c.add(ingress('web'));
    expect(syncEvents(c.state, 'web')).toEqual(['Normal Sync nginx-ingress-controller: Scheduled for sync x2']);
  });

  it('records one more for every change of the Ingress', () => {
    const c = cluster();
    c.add(ingress('web'));
    const next = structuredClone(get(c.state, 'web'));
    next.metadata.labels = { tier: 'front' };
    updateObject(c.api, next);
    c.settle();
    expect(syncEvents(c.state, 'web')).toEqual(['Normal Sync nginx-ingress-controller: Scheduled for sync x3']);
  });

  it('records one per controller replica', () => {
    const c = cluster();
    const deploy = structuredClone(c.state.get<Deployment>('deployments', 'ingress-nginx', 'ingress-nginx-controller')!);
    deploy.spec.replicas = 2;
    updateObject(c.api, deploy);
    c.settle();
    c.add(ingress('web'));
    expect(syncEvents(c.state, 'web')).toEqual(['Normal Sync nginx-ingress-controller: Scheduled for sync x4']);
  });
});

describe('controller configuration', () => {
  it('reads the flags of the installed controller', () => {
    const c = cluster();
    expect(controllerConfig(c.state)).toEqual({
      namespace: 'ingress-nginx',
      controllerClass: 'k8s.io/ingress-nginx',
      ingressClass: 'nginx',
      ingressClassByName: false,
      watchWithoutClass: false,
      watchNamespace: '',
      publishService: '',
      publishStatusAddress: '',
      useNodeInternalIP: false,
    });
    const lb = cluster({ loadBalancer: { mode: 'pool', pool: '172.18.255.200-172.18.255.250' } });
    expect(controllerConfig(lb.state)?.publishService).toBe('ingress-nginx/ingress-nginx-controller');
  });

  it('publishes --publish-status-address as given (kind provider: localhost)', () => {
    const c = cluster();
    const cfg = { ...controllerConfig(c.state)!, publishStatusAddress: 'localhost, 10.0.0.5' };
    // sorted by hostname first (an IP entry has none), then by IP
    expect(publishedAddresses(c.state, cfg)).toEqual([{ ip: '10.0.0.5' }, { hostname: 'localhost' }]);
  });

  it('installs the objects of the static manifests', () => {
    expect(ingressNginxObjects({ loadBalancer: false }).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/ingress-nginx',
      'ConfigMap/ingress-nginx-controller',
      'Service/ingress-nginx-controller',
      'Service/ingress-nginx-controller-admission',
      'Deployment/ingress-nginx-controller',
      'IngressClass/nginx',
    ]);
  });
});

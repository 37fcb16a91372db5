/**
 * `kfake why endpoints`: each pod's verdict must be the endpoints controller's
 * (pkg/controller/endpoint/endpoints_controller.go: selector in the Service's namespace,
 * ShouldPodBeInEndpoints, FindPort, Ready split into addresses / notReadyAddresses), which the
 * tests check against the Endpoints object the controller wrote; the reasons name what decided it.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Endpoints, KObject, Pod, Service } from '../../src/api/types.ts';
import { resourceInfo } from '../../src/api/registry.ts';
import { createObject, deleteObject, type ApiContext } from '../../src/apiserver/api.ts';
import { newClusterState } from '../../src/cluster/bootstrap.ts';
import { explainEndpoints, renderEndpointsExplanation } from '../../src/commands/diagnose.ts';
import { EventRecorder } from '../../src/controllers/events.ts';
import { reconcile } from '../../src/controllers/reconcile.ts';
import { DEFAULT_CONFIG } from '../../src/store/meta.ts';
import type { ClusterState } from '../../src/store/state.ts';
import { rfc3339 } from '../../src/util/duration.ts';
import { seededRandom } from '../../src/util/random.ts';

const NOW = new Date('2026-11-21T10:00:00Z');

function cluster() {
  const rng = seededRandom('diagnose');
  const state = newClusterState(structuredClone(DEFAULT_CONFIG), NOW, rng);
  const api: ApiContext = { state, now: NOW, rng };
  const settle = () => reconcile({ state, now: NOW, nowText: rfc3339(NOW), rng, config: state.meta.config, events: new EventRecorder(state, NOW, rng) });
  settle();
  return {
    state,
    add(...objs: KObject[]) {
      for (const o of objs) createObject(api, o);
      settle();
    },
    /** Change a stored object as a component would (then the controllers react). */
    edit<T extends KObject>(resource: string, ns: string, name: string, fn: (o: T) => void) {
      const next = structuredClone(state.get<T>(resource, ns, name)!);
      fn(next);
      state.put(resource, next);
      settle();
    },
    remove(resource: string, ns: string, name: string) {
      deleteObject(api, resourceInfo(resource), ns, name);
      settle();
    },
  };
}

function pod(name: string, labels: Record<string, string>, extra: { ns?: string; ports?: unknown[]; nodeSelector?: Record<string, string>; finalizers?: string[] } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: extra.ns ?? 'default', labels, ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
    spec: {
      ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
      containers: [{ name: 'web', image: 'nginx', ports: extra.ports ?? [{ name: 'http', containerPort: 80 }] }],
    },
  } as KObject;
}

function service(name: string, spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec } as KObject;
}

const NO_PORTS =
  "serves none of the Service's ports: not in the Endpoints; its EndpointSlice lists it without ports (kubectl describe shows its bare IP), which carries no traffic";

const WEB = service('web', { selector: { app: 'web', tier: 'front' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
const FRONT = { app: 'web', tier: 'front' };

const verdicts = (state: ClusterState, svc = 'web') =>
  Object.fromEntries(explainEndpoints(state, 'default', svc).pods.map((p) => [p.name, `${p.verdict}: ${p.reasons.join('; ')}`]));

const endpointIPs = (state: ClusterState, svc = 'web') => {
  const ep = state.get<Endpoints>('endpoints', 'default', svc);
  return {
    ready: (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.name)),
    notReady: (ep?.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.targetRef?.name)),
  };
};

describe('explainEndpoints', () => {
  it('names the selector label that is missing or different', () => {
    const c = cluster();
    c.add(WEB, pod('good', FRONT), pod('db', { app: 'db', tier: 'front' }), pod('bare', {}), pod('back', { app: 'web', tier: 'back' }));
    expect(endpointIPs(c.state)).toEqual({ ready: ['good'], notReady: [] });
    expect(verdicts(c.state)).toEqual({
      good: 'in: port http 80/TCP: "http" is 80 in this pod',
      db: 'out: label app=db, the selector wants app=web',
      back: 'out: label tier=back, the selector wants tier=front',
      bare: 'out: no label app (the selector wants app=web); no label tier (the selector wants tier=front)',
    });
  });

  it('points out matching pods in other namespaces', () => {
    const c = cluster();
    c.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'staging' } } as KObject, WEB, pod('web-x', FRONT, { ns: 'staging' }));
    const x = explainEndpoints(c.state, 'default', 'web');
    expect(x.elsewhere.map((p) => `${p.namespace}/${p.name} ${p.verdict}: ${p.reasons.join('; ')}`)).toEqual([
      'staging/web-x out: in namespace staging; a Service selects pods of its own namespace (default) only',
    ]);
    expect(x.whyNone).toBe(
      'there are no pods in namespace default; pods with these labels run in namespace staging, but a Service only selects pods of its own namespace',
    );
  });

  it('explains a pod that is not Ready (under notReadyAddresses)', () => {
    const c = cluster();
    c.add(WEB, pod('slow', FRONT));
    c.edit<Pod>('pods', 'default', 'slow', (p) => {
      const ready = p.status!.conditions!.find((x) => x.type === 'Ready')!;
      Object.assign(ready, { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    });
    expect(endpointIPs(c.state)).toEqual({ ready: [], notReady: ['slow'] });
    expect(verdicts(c.state).slow).toBe(
      'not-ready: not Ready (ContainersNotReady: containers with unready status: [web]): listed under notReadyAddresses, gets no traffic; port http 80/TCP: "http" is 80 in this pod',
    );
    expect(explainEndpoints(c.state, 'default', 'web').whyNone).toBe('the 1 pod with the labels app=web,tier=front cannot serve: 1 not Ready');
  });

  it('explains a named targetPort the pod does not have, or has with another protocol', () => {
    const c = cluster();
    c.add(WEB, pod('noname', FRONT, { ports: [{ containerPort: 80 }] }), pod('udp', FRONT, { ports: [{ name: 'http', containerPort: 80, protocol: 'UDP' }] }));
    expect(endpointIPs(c.state)).toEqual({ ready: [], notReady: [] });
    expect(verdicts(c.state)).toEqual({
      noname: `out: ${NO_PORTS}; port http 80/TCP: no container port named "http" with protocol TCP`,
      udp: `out: ${NO_PORTS}; port http 80/TCP: its container port "http" is UDP, not TCP`,
    });
  });

  it('explains pods without an IP, finished pods and terminating pods', () => {
    const c = cluster();
    c.add(
      WEB,
      pod('nowhere', FRONT, { nodeSelector: { disk: 'ssd' } }),
      pod('done', FRONT),
      pod('leaving', FRONT, { finalizers: ['example.com/hold'] }),
    );
    c.edit<Pod>('pods', 'default', 'done', (p) => {
      p.status!.phase = 'Succeeded';
    });
    c.remove('pods', 'default', 'leaving');
    expect(endpointIPs(c.state)).toEqual({ ready: [], notReady: [] });
    const v = verdicts(c.state);
    // the scheduler's own PodScheduled message says why
    const scheduled = c.state.get<Pod>('pods', 'default', 'nowhere')!.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
    expect(scheduled.status).toBe('False');
    expect(v.nowhere).toBe(`out: no IP yet: not scheduled to a node yet (${scheduled.message})`);
    expect(v.done).toBe('out: phase Succeeded: finished pods are never endpoints');
    expect(v.leaving).toMatch(/^terminating: terminating \(deleted at 2026-11-21T10:00:00Z\): left out of the Endpoints/);
  });

  it('names the closest pods when nothing matches', () => {
    const c = cluster();
    c.add(WEB, pod('db', { app: 'db', tier: 'front' }), pod('bare', {}));
    expect(explainEndpoints(c.state, 'default', 'web').whyNone).toBe(
      'no pod in namespace default has the labels app=web,tier=front; closest: db (label app=db, the selector wants app=web)',
    );
  });

  it('explains Services without a selector and ExternalName Services', () => {
    const c = cluster();
    c.add(service('manual', { ports: [{ port: 80 }] }), service('ext', { type: 'ExternalName', externalName: 'db.example.com' }));
    const manual = explainEndpoints(c.state, 'default', 'manual');
    expect(manual.pods).toEqual([]);
    expect(manual.whyNone).toBe('the Service has no selector and nobody created an Endpoints object named manual');
    c.add({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 80 }] }] } as KObject);
    const filled = explainEndpoints(c.state, 'default', 'manual');
    expect(filled.whyNone).toBeUndefined();
    expect(filled.ports[0].ready.map((a) => `${a.address.ip}:${a.port}`)).toEqual(['192.168.1.10:80']);
    const ext = explainEndpoints(c.state, 'default', 'ext');
    expect(ext.notes).toEqual(['type ExternalName: no endpoints and no cluster IP; cluster DNS answers ext.default.svc.cluster.local with a CNAME to db.example.com']);
  });

  it('counts not-Ready pods as ready with publishNotReadyAddresses', () => {
    const c = cluster();
    c.add(service('web', { selector: FRONT, publishNotReadyAddresses: true, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }), pod('slow', FRONT));
    c.edit<Pod>('pods', 'default', 'slow', (p) => {
      p.status!.conditions!.find((x) => x.type === 'Ready')!.status = 'False';
    });
    expect(endpointIPs(c.state)).toEqual({ ready: ['slow'], notReady: [] });
    expect(verdicts(c.state).slow).toMatch(/^in: not Ready, listed as ready anyway: publishNotReadyAddresses is true/);
  });

  it('throws NotFound for a missing Service', () => {
    const c = cluster();
    expect(() => explainEndpoints(c.state, 'default', 'nope')).toThrow('services "nope" not found');
  });
});

describe('renderEndpointsExplanation', () => {
  it('prints the Service, its endpoints per port and a table of pods', () => {
    const c = cluster();
    c.add(WEB, pod('db', { app: 'db', tier: 'front' }));
    const text = renderEndpointsExplanation(explainEndpoints(c.state, 'default', 'web'), new Chalk({ level: 0 }));
    const ip = c.state.get<Pod>('pods', 'default', 'db')!.status!.podIP!;
    const node = c.state.get<Pod>('pods', 'default', 'db')!.spec.nodeName!;
    const pad = (s: string, n: number) => s + ' '.repeat(n - s.length);
    const w = Math.max(2, ip.length) + 3;
    const nw = Math.max(4, node.length) + 3;
    expect(text).toBe(
      [
        `Service:   default/web (ClusterIP ${c.state.get<Service>('services', 'default', 'web')!.spec.clusterIP})`,
        'Selector:  app=web,tier=front',
        '',
        'Endpoints:',
        '  http 80/TCP -> targetPort http: <none>',
        '',
        'Pods in namespace default:',
        `  POD   ${pad('IP', w)}${pad('NODE', nw)}ENDPOINT   WHY`,
        `  db    ${pad(ip, w)}${pad(node, nw)}no         label app=db, the selector wants app=web`,
        '',
        'No ready endpoints: no pod in namespace default has the labels app=web,tier=front; closest: db (label app=db, the selector wants app=web).',
        '',
      ].join('\n'),
    );
  });

  it('colours verdicts only when asked to', () => {
    const c = cluster();
    c.add(WEB, pod('good', FRONT));
    const plain = renderEndpointsExplanation(explainEndpoints(c.state, 'default', 'web'), new Chalk({ level: 0 }));
    const coloured = renderEndpointsExplanation(explainEndpoints(c.state, 'default', 'web'), new Chalk({ level: 1 }));
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[32myes\x1b[39m');
  });
});

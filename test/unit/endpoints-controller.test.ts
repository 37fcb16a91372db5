/**
 * The endpoints controllers do not sync a Service again for the Endpoints and EndpointSlices they
 * wrote themselves, but they do for a change someone else makes to them, or a deletion.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoints, EndpointSlice, KObject } from '../../src/api/types.ts';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../src/apiserver/api.ts';
import { resourceInfo } from '../../src/api/registry.ts';
import { newClusterState } from '../../src/cluster/bootstrap.ts';
import { EventRecorder } from '../../src/controllers/events.ts';
import { defaultControllers, reconcile, type Controller } from '../../src/controllers/reconcile.ts';
import { EndpointsController } from '../../src/controllers/endpoints.ts';
import { DEFAULT_CONFIG } from '../../src/store/meta.ts';
import { rfc3339 } from '../../src/util/duration.ts';
import { clone } from '../../src/util/clone.ts';
import { seededRandom } from '../../src/util/random.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

function cluster() {
  const rng = seededRandom('endpoints');
  const state = newClusterState(structuredClone(DEFAULT_CONFIG), NOW, rng);
  const api: ApiContext = { state, now: NOW, rng };
  const events = new EventRecorder(state, NOW, rng);
  const settle = (controllers?: Controller[]) =>
    reconcile({ state, now: NOW, nowText: rfc3339(NOW), rng, config: state.meta.config, events }, controllers);
  settle();
  return { state, api, settle };
}

const service: KObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
} as KObject;

const pod = (name: string): KObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
  }) as KObject;

const addresses = (e: Endpoints | undefined) => e?.subsets?.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)) ?? [];

describe('endpoints controllers', () => {
  it('sync a Service once for its own writes, and again for what others change or delete', () => {
    const c = cluster();
    createObject(c.api, service);
    createObject(c.api, pod('web-1'));
    createObject(c.api, pod('web-2'));
    c.settle();
    const ips = addresses(c.state.get<Endpoints>('endpoints', 'default', 'web'));
    expect(ips).toHaveLength(2);

    // Its own writes are not synced again: count the syncs of a wrapped controller.
    const controller = new EndpointsController();
    let syncs = 0;
    const counting: Controller = {
      name: controller.name,
      watches: controller.watches,
      beginRound: (ctx) => controller.beginRound(ctx),
      keysFor: (change, ctx) => controller.keysFor(change, ctx),
      sync: (key, ctx) => {
        syncs++;
        controller.sync(key, ctx);
      },
    };
    createObject(c.api, pod('web-3'));
    c.settle(defaultControllers().map((k) => (k.name === 'endpoints' ? counting : k)));
    // the pod's start (its IP) makes one sync; the Endpoints and EndpointSlice it wrote, none
    expect(syncs).toBe(1);
    expect(addresses(c.state.get<Endpoints>('endpoints', 'default', 'web'))).toHaveLength(3);

    // Someone else's change to the Endpoints is put back.
    const edited = clone(c.state.get<Endpoints>('endpoints', 'default', 'web')!);
    edited.subsets = [{ addresses: [{ ip: '10.9.9.9' }], ports: [{ port: 1 }] }];
    updateObject(c.api, edited);
    c.settle();
    expect(addresses(c.state.get<Endpoints>('endpoints', 'default', 'web'))).toHaveLength(3);
    expect(addresses(c.state.get<Endpoints>('endpoints', 'default', 'web'))).not.toContain('10.9.9.9');

    // A deleted EndpointSlice is made again.
    const slice = c.state.list<EndpointSlice>('endpointslices', 'default').find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    deleteObject(c.api, resourceInfo('endpointslices'), 'default', slice.metadata.name!);
    c.settle();
    const again = c.state.list<EndpointSlice>('endpointslices', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web');
    expect(again).toHaveLength(1);
    expect(again[0].endpoints).toHaveLength(3);
  });
});

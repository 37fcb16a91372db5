/**
 * createPodLike: the pods a ReplicaSet creates after the first of a sync are made as copies of
 * it, with the name, uid and token volume drawn again. Each must be the very pod createObject
 * makes from the same request with the same random draws.
 */
import { describe, expect, it } from 'vitest';
import type { KObject, Pod } from '../../src/api/types.ts';
import { createObject, createPodLike, type ApiContext } from '../../src/apiserver/api.ts';
import { StatusError } from '../../src/api/errors.ts';
import { newClusterState } from '../../src/cluster/bootstrap.ts';
import { DEFAULT_CONFIG } from '../../src/store/meta.ts';
import { seededRandom } from '../../src/util/random.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

function api(seed: string): ApiContext {
  const rng = seededRandom(seed);
  return { state: newClusterState(structuredClone(DEFAULT_CONFIG), NOW, rng), now: NOW, rng };
}

function request(spec: Record<string, unknown>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'web-7d4b9c-', namespace: 'default', labels: { app: 'web' } },
    spec,
  } as unknown as Pod;
}

/** Three pods through createObject, and the same three as createObject's first plus two copies. */
function both(req: Pod): { slow: KObject[]; fast: KObject[] } {
  const a = api('pods');
  const slow = [0, 1, 2].map(() => createObject(a, req, { fromController: true }));
  const b = api('pods');
  const first = createObject(b, req, { fromController: true }) as Pod;
  const fast = [first, createPodLike(b, first, req), createPodLike(b, first, req)];
  return { slow, fast };
}

describe('createPodLike', () => {
  it('makes what createObject makes: the admission-added token volume renamed in volumes and mounts', () => {
    const { slow, fast } = both(
      request({
        initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
        containers: [
          { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
          { name: 'side', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      }),
    );
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    const volumes = fast.map((p) => (p as Pod).spec.volumes!.map((v) => v.name));
    expect(new Set(volumes.map((v) => v[1])).size).toBe(3);
    for (const p of fast as Pod[]) {
      const token = p.spec.volumes![1].name;
      expect(token).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
      for (const c of [...p.spec.initContainers!, ...p.spec.containers]) expect(c.volumeMounts!.map((m) => m.name)).toContain(token);
    }
    expect(new Set(fast.map((p) => p.metadata.name)).size).toBe(3);
    expect(new Set(fast.map((p) => p.metadata.uid)).size).toBe(3);
  });

  it('keeps a token volume the template names itself, and makes none when automount is off', () => {
    const own = both(
      request({
        containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'kube-api-access-own', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
        volumes: [{ name: 'kube-api-access-own', emptyDir: {} }],
      }),
    );
    expect(JSON.stringify(own.fast)).toBe(JSON.stringify(own.slow));
    expect((own.fast[2] as Pod).spec.volumes!.map((v) => v.name)).toEqual(['kube-api-access-own']);

    const off = both(request({ automountServiceAccountToken: false, containers: [{ name: 'web', image: 'nginx' }] }));
    expect(JSON.stringify(off.fast)).toBe(JSON.stringify(off.slow));
    expect((off.fast[1] as Pod).spec.volumes).toBeUndefined();
  });

  it('refuses a name that is taken after the retries, as createObject does', () => {
    const a = api('taken');
    const first = createObject(a, request({ containers: [{ name: 'web', image: 'nginx' }] }), { fromController: true }) as Pod;
    // Every name the generator can make is taken: the same draws as a real collision would see.
    const has = a.state.has.bind(a.state);
    a.state.has = (resource, ns, name) => resource === 'pods' || has(resource, ns, name);
    expect(() => createPodLike(a, first, request({ containers: [] }))).toThrow(StatusError);
  });
});

/**
 * An in-process cluster for the network unit tests: the bootstrap of a real store, objects
 * created through the API write path, and the controllers (scheduler, kubelet with the network's
 * process model, endpoints) run to their fixed point, as a write transaction would.
 */
import type { KObject, Node, Pod } from '../../../src/api/types.ts';
import { createObject, deleteObject, updateObject } from '../../../src/apiserver/api.ts';
import { resourceInfo } from '../../../src/api/registry.ts';
import { newClusterState } from '../../../src/cluster/bootstrap.ts';
import type { ControllerContext } from '../../../src/controllers/context.ts';
import { EventRecorder } from '../../../src/controllers/events.ts';
import { reconcile } from '../../../src/controllers/reconcile.ts';
import type { NetContext } from '../../../src/network/context.ts';
import { execInPlace } from '../../../src/network/exec.ts';
import '../../../src/network/install.ts';
import { nodePlace, outsidePlace, podPlace, type Place } from '../../../src/network/place.ts';
import type { Output } from '../../../src/network/tools/tool.ts';
import { DEFAULT_CONFIG } from '../../../src/store/meta.ts';
import type { ClusterState } from '../../../src/store/state.ts';
import { rfc3339 } from '../../../src/util/duration.ts';
import { seededRandom, type Random } from '../../../src/util/random.ts';

export const NOW = new Date('2026-11-21T10:00:00Z');

export class TestNet {
  readonly state: ClusterState;
  rng: Random;
  private step = 0;

  constructor(seed = 'network-unit') {
    this.rng = seededRandom(`${seed}:bootstrap`);
    this.state = newClusterState(structuredClone(DEFAULT_CONFIG), NOW, this.rng);
    this.settle();
  }

  get net(): NetContext {
    return { state: this.state, now: NOW, rng: this.rng };
  }

  settle(): void {
    const ctx: ControllerContext = {
      state: this.state,
      now: NOW,
      nowText: rfc3339(NOW),
      rng: this.rng,
      config: this.state.meta.config,
      events: new EventRecorder(this.state, NOW, this.rng),
    };
    reconcile(ctx);
  }

  /** A fresh random stream for the next request, as each kfake command gets one. */
  nextRandom(): void {
    this.rng = seededRandom(`network-unit:request:${++this.step}`);
  }

  create<T extends KObject>(obj: T): T {
    const created = createObject({ state: this.state, now: NOW, rng: this.rng }, obj) as T;
    this.settle();
    return created;
  }

  update<T extends KObject>(obj: T): void {
    updateObject({ state: this.state, now: NOW, rng: this.rng }, obj);
    this.settle();
  }

  delete(resource: string, namespace: string, name: string): void {
    deleteObject({ state: this.state, now: NOW, rng: this.rng }, resourceInfo(resource), namespace, name);
    this.settle();
  }

  pods(prefix: string, namespace = 'default'): Pod[] {
    return this.state.list<Pod>('pods', namespace).filter((p) => p.metadata.name!.startsWith(prefix));
  }

  pod(name: string, namespace = 'default'): Pod {
    const p = this.state.get<Pod>('pods', namespace, name);
    if (!p) throw new Error(`no pod ${namespace}/${name}`);
    return p;
  }

  podPlace(name: string, namespace = 'default'): Place {
    const p = this.pod(name, namespace);
    return podPlace(this.state, p, p.spec.containers[0]);
  }

  nodePlace(name: string): Place {
    return nodePlace(this.state, this.state.get<Node>('nodes', '', name)!);
  }

  outsidePlace(): Place {
    return outsidePlace(this.state);
  }

  /** Run a command in a place, as `kfake exec` does. */
  run(place: Place, ...argv: string[]): Output {
    this.nextRandom();
    return execInPlace(this.net, place, argv, { stdin: '', tty: false });
  }
}

/** A Deployment of `replicas` pods of `image` labelled app=NAME. */
export function deployment(name: string, image: string, replicas: number, extra: { containerPorts?: { name?: string; containerPort: number }[]; env?: { name: string; value: string }[]; args?: string[]; enableServiceLinks?: boolean } = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(extra.enableServiceLinks === false ? { enableServiceLinks: false } : {}),
          containers: [
            {
              name: 'app',
              image,
              ...(extra.args ? { args: extra.args } : {}),
              ...(extra.env ? { env: extra.env } : {}),
              ...(extra.containerPorts ? { ports: extra.containerPorts } : {}),
            },
          ],
        },
      },
    },
  };
}

export function service(name: string, spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

export function pod(name: string, image: string, extra: Record<string, unknown> = {}, containerExtra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { run: name } },
    spec: { containers: [{ name, image, ...containerExtra }], ...extra },
  };
}

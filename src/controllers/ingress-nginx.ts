/**
 * The ingress-nginx controller's effect on the API (kubernetes/ingress-nginx v1.12
 * internal/ingress/controller/store/store.go and internal/ingress/status/status.go), while an
 * ingress-nginx controller pod is running (see src/ingress/controller.ts for how it is found and
 * configured):
 *
 * - events: each controller pod's Ingress informer records `Normal Sync "Scheduled for sync"`
 *   (source `nginx-ingress-controller`) when an Ingress of its class is added, changes (any
 *   update, its own status writes included, which is why a new Ingress soon shows `(x2 over ...)`),
 *   or becomes one of its class; and for every Ingress of its class when the pod starts (the
 *   informer's initial list). With two replicas every event is recorded twice.
 * - status: the leader writes the published addresses into `status.loadBalancer.ingress` of every
 *   Ingress of its class whenever they differ (`kubectl get ing` ADDRESS). ingress-nginx checks
 *   every 60 seconds; here it happens as soon as anything it depends on changes. The last
 *   controller pod to stop empties the addresses (--update-status-on-shutdown, on by default).
 *
 * Routing requests is src/ingress/route.ts.
 */
import type { Ingress, Pod } from '../api/types.ts';
import {
  CONTROLLER_LABELS,
  controllerConfig,
  podConfig,
  publishedAddresses,
  runningControllerPods,
  servedIngresses,
  servesIngress,
  type ControllerConfig,
  type StatusAddress,
} from '../ingress/controller.ts';
import type { Change } from '../store/state.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { registerController } from './registry.ts';
import { clone } from '../util/clone.ts';

const SOURCE = { component: 'nginx-ingress-controller' };

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

const CONTROLLER_LABEL_PAIRS = Object.entries(CONTROLLER_LABELS);

/** Asked of every pod change, so without making anything. */
function isControllerLabelled(pod: Pod | undefined): boolean {
  const labels = pod?.metadata.labels;
  if (!labels) return false;
  for (const [k, v] of CONTROLLER_LABEL_PAIRS) if (labels[k] !== v) return false;
  return true;
}

function statusOf(ing: Ingress): StatusAddress[] {
  return (ing.status?.loadBalancer?.ingress ?? []).map((i) => ({ ...(i.ip ? { ip: i.ip } : {}), ...(i.hostname ? { hostname: i.hostname } : {}) }));
}

function sameAddresses(a: StatusAddress[], b: StatusAddress[]): boolean {
  return a.length === b.length && a.every((x, i) => (x.ip ?? '') === (b[i].ip ?? '') && (x.hostname ?? '') === (b[i].hostname ?? ''));
}

class IngressNginxController implements Controller {
  readonly name = 'ingress-nginx';
  readonly watches = ['ingresses', 'ingressclasses', 'pods', 'services', 'nodes'];
  /** Sync events owed per Ingress key, from this round's changes. */
  private owed = new Map<string, number>();
  /** The controller configuration as of the start of the round (undefined: not running). */
  private cfg: ControllerConfig | undefined | null = null;
  /** Ingresses whose addresses the last stopping controller pod removes. */
  private cleared = new Set<string>();

  beginRound(): void {
    this.owed = new Map();
    this.cfg = null;
    this.cleared = new Set();
  }

  private config(ctx: ControllerContext): ControllerConfig | undefined {
    if (this.cfg === null) this.cfg = controllerConfig(ctx.state);
    return this.cfg;
  }

  private owe(key: string): void {
    this.owed.set(key, (this.owed.get(key) ?? 0) + 1);
  }

  private allServed(ctx: ControllerContext, cfg: ControllerConfig): string[] {
    return servedIngresses(ctx.state, cfg).map(keyOf);
  }

  keysFor(change: Change, ctx: ControllerContext): string[] {
    switch (change.resource) {
      case 'ingresses': {
        const cfg = this.config(ctx);
        if (!cfg || change.type === 'DELETED') return [];
        const key = keyOf(change.object);
        if (!servesIngress(ctx.state, cfg, change.object as Ingress)) return [];
        // AddFunc, or UpdateFunc for an Ingress that is (or became) of its class: every update
        // differs from the cached copy (its resourceVersion at least).
        this.owe(key);
        return [key];
      }
      case 'ingressclasses': {
        const cfg = this.config(ctx);
        return cfg ? this.allServed(ctx, cfg) : [];
      }
      case 'pods': {
        const before = change.old as Pod | undefined;
        const after = change.type === 'DELETED' ? undefined : (change.object as Pod);
        if (!isControllerLabelled(before) && !isControllerLabelled(after)) return [];
        const cfg = this.config(ctx);
        if (!cfg) {
          // The last controller pod stopped (deleted, or being deleted): it clears the status of
          // the Ingresses it served on its way out.
          const stopped = before?.status?.phase === 'Running' && (!after || after.metadata.deletionTimestamp);
          if (!stopped || !isControllerLabelled(before)) return [];
          const keys = servedIngresses(ctx.state, podConfig(before!)).map(keyOf);
          for (const k of keys) this.cleared.add(k);
          return keys;
        }
        const keys = this.allServed(ctx, cfg);
        // A controller process starting lists every Ingress of its class: one Sync event each.
        if (after?.status?.phase === 'Running' && before?.status?.phase !== 'Running') {
          for (const k of keys) this.owe(k);
        }
        return keys;
      }
      case 'services': {
        const cfg = this.config(ctx);
        if (!cfg?.publishService || cfg.publishService !== `${change.namespace}/${change.name}`) return [];
        return this.allServed(ctx, cfg);
      }
      case 'nodes': {
        const cfg = this.config(ctx);
        return cfg ? this.allServed(ctx, cfg) : [];
      }
      default:
        return [];
    }
  }

  sync(key: string, ctx: ControllerContext): void {
    const cfg = controllerConfig(ctx.state);
    const [ns, name] = key.split('/');
    const ing = ctx.state.get<Ingress>('ingresses', ns, name);
    const owed = this.owed.get(key) ?? 0;
    this.owed.delete(key);
    if (!ing) return;
    let addrs: StatusAddress[];
    if (!cfg) {
      if (!this.cleared.has(key)) return;
      addrs = [];
    } else {
      if (!servesIngress(ctx.state, cfg, ing)) return;
      const replicas = runningControllerPods(ctx.state).length;
      for (let i = 0; i < owed * replicas; i++) ctx.events.record(ing, 'Normal', 'Sync', 'Scheduled for sync', SOURCE);
      addrs = publishedAddresses(ctx.state, cfg);
    }
    if (sameAddresses(statusOf(ing), addrs)) return;
    const next = clone(ing);
    next.status = { ...(next.status ?? {}), loadBalancer: addrs.length ? { ingress: addrs } : {} };
    ctx.state.put('ingresses', next);
  }
}

registerController(new IngressNginxController());

/**
 * What a settled cluster always satisfies, checked on what `kfake get -o json` returns. Every
 * write transaction reconciles to a fixed point before it is stored, so any snapshot a reader
 * gets must satisfy all of these; a failure means a torn or half-reconciled state, or an
 * allocator handing out something twice.
 */
import type { KItem } from './sandbox.ts';

const ref = (o: KItem) => `${o.kind} ${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`;

function duplicates(pairs: [string, string][]): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const [value, owner] of pairs) {
    const first = seen.get(value);
    if (first !== undefined) out.push(`${value} is used by both ${first} and ${owner}`);
    else seen.set(value, owner);
  }
  return out;
}

/** No two Services share a cluster IP or a node port; no two pods (outside the host network) an IP. */
export function allocationProblems(items: KItem[]): string[] {
  const ips: [string, string][] = [];
  const ports: [string, string][] = [];
  const podIPs: [string, string][] = [];
  for (const o of items) {
    if (o.kind === 'Service') {
      for (const ip of o.spec?.clusterIPs ?? (o.spec?.clusterIP ? [o.spec.clusterIP] : [])) {
        if (ip && ip !== 'None') ips.push([ip, ref(o)]);
      }
      for (const p of o.spec?.ports ?? []) if (p.nodePort) ports.push([String(p.nodePort), ref(o)]);
      if (o.spec?.healthCheckNodePort) ports.push([String(o.spec.healthCheckNodePort), ref(o)]);
    } else if (o.kind === 'Pod' && !o.spec?.hostNetwork && o.status?.podIP) {
      podIPs.push([o.status.podIP, ref(o)]);
    }
  }
  return [
    ...duplicates(ips).map((d) => `cluster IP ${d}`),
    ...duplicates(ports).map((d) => `node port ${d}`),
    ...duplicates(podIPs).map((d) => `pod IP ${d}`),
  ];
}

const isReady = (pod: KItem) =>
  (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The Deployment's maxSurge in pods (intstr: a count, or a percentage rounded up). */
function maxSurge(d: KItem): number {
  const v = d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof v === 'number') return v;
  return Math.ceil((d.spec.replicas * parseInt(v, 10)) / 100);
}

/**
 * Deployments, ReplicaSets and their pods agree; every Service with a selector has Endpoints and
 * EndpointSlices listing exactly the IPs of the pods it selects. Expects Deployment, ReplicaSet,
 * Pod, Service, Endpoints and EndpointSlice items of the namespaces concerned.
 */
export function reconcileProblems(items: KItem[]): string[] {
  const problems: string[] = [];
  const byKind = (k: string) => items.filter((o) => o.kind === k);
  const pods = byKind('Pod').filter((p) => !p.metadata.deletionTimestamp);
  const podsOwnedBy = (uid: string) => pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid));
  const rss = byKind('ReplicaSet');

  for (const rs of rss) {
    const n = podsOwnedBy(rs.metadata.uid).length;
    if (rs.spec.replicas !== n || rs.status?.replicas !== n) {
      problems.push(`${ref(rs)}: spec.replicas ${rs.spec.replicas}, status.replicas ${rs.status?.replicas}, but ${n} pods`);
    }
  }
  for (const d of byKind('Deployment')) {
    const owned = rss.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid));
    const dpods = owned.flatMap((rs) => podsOwnedBy(rs.metadata.uid));
    const ready = dpods.filter(isReady).length;
    const s = d.status ?? {};
    if (s.observedGeneration !== d.metadata.generation) {
      problems.push(`${ref(d)}: observedGeneration ${s.observedGeneration} but generation ${d.metadata.generation}`);
    }
    // A rollout that cannot finish (new pods not ready, e.g. Pending on full nodes) keeps old and
    // new ReplicaSets side by side, up to maxSurge (25% of the replicas, rounded up) above spec.
    const withPods = owned.filter((rs) => podsOwnedBy(rs.metadata.uid).length > 0).length;
    const surge = withPods > 1 && ready < dpods.length ? maxSurge(d) : 0;
    const sizeOk = dpods.length >= d.spec.replicas && dpods.length <= d.spec.replicas + surge;
    if (!sizeOk || (s.replicas ?? 0) !== dpods.length || (s.readyReplicas ?? 0) !== ready) {
      problems.push(
        `${ref(d)}: spec.replicas ${d.spec.replicas}, status.replicas ${s.replicas}, readyReplicas ${s.readyReplicas}, but ${dpods.length} pods (${ready} ready)`,
      );
    }
  }
  const endpoints = new Map(byKind('Endpoints').map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]));
  const slices = byKind('EndpointSlice');
  for (const svc of byKind('Service')) {
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0 || svc.spec.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace;
    const want = pods
      .filter((p) => p.metadata.namespace === ns && matches(sel, p.metadata.labels) && p.status?.podIP)
      .map((p) => p.status.podIP as string)
      .sort();
    const ep = endpoints.get(`${ns}/${svc.metadata.name}`);
    if (!ep) {
      problems.push(`${ref(svc)}: no Endpoints`);
      continue;
    }
    const epIPs = (ep.subsets ?? [])
      .flatMap((s: { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])])
      .map((a: { ip: string }) => a.ip);
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    if (uniq(epIPs).join() !== want.join()) {
      problems.push(`${ref(svc)}: Endpoints list [${uniq(epIPs)}] but the selected pods have [${want}]`);
    }
    const mine = slices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
    if (mine.length === 0) {
      problems.push(`${ref(svc)}: no EndpointSlice`);
      continue;
    }
    const sliceIPs = mine.flatMap((s) => (s.endpoints ?? []).flatMap((e: { addresses: string[] }) => e.addresses));
    if (uniq(sliceIPs).join() !== want.join()) {
      problems.push(`${ref(svc)}: EndpointSlices list [${uniq(sliceIPs)}] but the selected pods have [${want}]`);
    }
  }
  return problems;
}

/**
 * The endpoints kube-proxy programs for a Service port, read from the Service's EndpointSlices
 * as kube-proxy reads them (pkg/proxy/endpointslicecache.go): the slice port with the Service
 * port's name and protocol gives the target port; each endpoint address becomes a backend with
 * its node and its conditions.
 */
import type { EndpointSlice, Service, ServicePort } from '../../api/types.ts';
import { selectorFromSet } from '../../selectors/labels.ts';
import type { ClusterState } from '../../store/state.ts';

export interface ServiceEndpoint {
  ip: string;
  port: number;
  nodeName?: string;
  pod?: { namespace: string; name: string };
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export function serviceEndpoints(state: ClusterState, svc: Service, sp: ServicePort): ServiceEndpoint[] {
  const slices = state.select<EndpointSlice>(
    'endpointslices',
    svc.metadata.namespace!,
    selectorFromSet({ 'kubernetes.io/service-name': svc.metadata.name! }),
  );
  const out: ServiceEndpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === (sp.name ?? '') && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (!port) continue;
    for (const e of slice.endpoints ?? []) {
      const ready = e.conditions?.ready !== false;
      const serving = e.conditions?.serving ?? ready;
      const terminating = e.conditions?.terminating ?? false;
      for (const ip of e.addresses) {
        out.push({
          ip,
          port: port.port,
          nodeName: e.nodeName,
          ...(e.targetRef?.kind === 'Pod' ? { pod: { namespace: e.targetRef.namespace ?? svc.metadata.namespace!, name: e.targetRef.name ?? '' } } : {}),
          ready,
          serving,
          terminating,
        });
      }
    }
  }
  // The same address can appear in two slices; kube-proxy keeps one.
  const seen = new Set<string>();
  return out.filter((e) => {
    const k = `${e.ip}:${e.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Ready endpoints; when none is ready, the serving terminating ones (graceful termination). */
export function usableEndpoints(all: ServiceEndpoint[]): ServiceEndpoint[] {
  const ready = all.filter((e) => e.ready);
  if (ready.length) return ready;
  return all.filter((e) => e.serving && e.terminating);
}

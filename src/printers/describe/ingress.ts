/** kubectl describe ingress (describeIngressV1 in staging/src/k8s.io/kubectl/pkg/describe/describe.go). */
import type { Ingress, IngressBackend, Service } from '../../api/types.ts';
import {
  compareStrings,
  describeEvents,
  eventRef,
  formatEndpointSlices,
  printAnnotationsMultiline,
  printLabelsMultiline,
} from './common.ts';
import type { DescribeContext } from './context.ts';
import { serviceEndpointSlices } from './service.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './writer.ts';

/** serviceBackendStringer: `name:port`, the port number or else its name. */
function serviceBackendText(b: NonNullable<IngressBackend['service']>): string {
  const port = b.port?.number ? String(b.port.number) : (b.port?.name ?? '');
  return `${b.name}:${port}`;
}

/** describeBackendV1: the backend with the ready endpoints of the service port it names. */
function describeBackend(ctx: DescribeContext, ns: string, backend: IngressBackend): string {
  if (backend.service) {
    const b = backend.service;
    const text = serviceBackendText(b);
    const slices = serviceEndpointSlices(ctx, ns, b.name);
    const svc = ctx.get('services', ns, b.name) as Service | undefined;
    if (!svc) return `${text} (<error: services "${b.name}" not found>)`;
    let portName = '';
    for (const sp of svc.spec?.ports ?? []) {
      if (b.port?.number && b.port.number === sp.port) portName = sp.name ?? '';
      else if (b.port?.name && b.port.name === sp.name) portName = sp.name ?? '';
    }
    return `${text} (${formatEndpointSlices(slices, portName)})`;
  }
  if (backend.resource) {
    const r = backend.resource;
    const group = r.apiGroup === undefined || r.apiGroup === null ? '<none>' : r.apiGroup;
    return `APIGroup: ${group}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return '';
}

/** ingressLoadBalancerStatusStringerV1 (wide): unique IPs or hostnames, sorted. */
function addressText(ing: Ingress): string {
  const set = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort(compareStrings).join(',');
}

export function describeIngress(ing: Ingress, ctx: DescribeContext): string {
  const events = ctx.events(eventRef(ing));
  const ns = ing.metadata.namespace ?? '';
  const spec = ing.spec ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ing.metadata.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ing.metadata.labels);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    w.write(LEVEL_0, `Address:\t${addressText(ing)}\n`);
    w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
    const defaultBackend = spec.defaultBackend ? describeBackend(ctx, ns, spec.defaultBackend) : '<default>';
    w.write(LEVEL_0, `Default backend:\t${defaultBackend}\n`);
    if (spec.tls?.length) {
      w.write(LEVEL_0, 'TLS:\n');
      for (const t of spec.tls) {
        const hosts = (t.hosts ?? []).join(',');
        if (!t.secretName) w.write(LEVEL_1, `SNI routes ${hosts}\n`);
        else w.write(LEVEL_1, `${t.secretName} terminates ${hosts}\n`);
      }
    }
    w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    let count = 0;
    for (const rule of spec.rules ?? []) {
      if (!rule.http) continue;
      count++;
      w.write(LEVEL_1, `${rule.host || '*'}\t\n`);
      for (const path of rule.http.paths ?? []) w.write(LEVEL_2, `\t${path.path ?? ''} \t${describeBackend(ctx, ns, path.backend)}\n`);
    }
    if (count === 0) w.write(LEVEL_1, `*\t*\t${defaultBackend}\n`);
    printAnnotationsMultiline(w, 'Annotations', ing.metadata.annotations);
    describeEvents(w, events, ctx);
  });
}

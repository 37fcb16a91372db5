/** Service rows: printService in k8s.io/kubernetes pkg/printers/internalversion/printers.go. */
import type { KObject, Service } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, formatLabels, loadBalancerAddresses, nameOf, type KindPrinter } from './common.ts';

export const servicePrinter: KindPrinter = {
  columns: [
    NAME,
    column('Type'),
    column('Cluster-IP'),
    column('External-IP'),
    column('Port(s)'),
    AGE,
    column('Selector', 1),
  ],
  cells: (object: KObject, now: Date) => {
    const svc = object as Service;
    const spec = svc.spec ?? {};
    return [
      nameOf(svc),
      spec.type ?? '',
      spec.clusterIPs?.[0] ?? '<none>',
      externalIP(svc),
      portsString(svc) || '<none>',
      ageOf(svc, now),
      formatLabels(spec.selector),
    ];
  },
};

/** getServiceExternalIP, as the server calls it (wide: load-balancer addresses are not clipped). */
function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      const all = [...(lb ? lb.split(',') : []), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** makePortString: `port/protocol`, or `port:nodePort/protocol`, joined by `,`. */
function portsString(svc: Service): string {
  return (svc.spec?.ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? '';
      return p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
}

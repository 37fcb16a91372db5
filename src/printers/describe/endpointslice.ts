/** kubectl describe endpointslice (describeEndpointSliceV1 in staging/src/k8s.io/kubectl/pkg/describe/describe.go). */
import type { EndpointSlice } from '../../api/types.ts';
import { describeEvents, eventRef, printAnnotationsMultiline, printLabelsMultiline } from './common.ts';
import type { DescribeContext } from './context.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString } from './writer.ts';

const orUnset = (v: string | undefined | null) => (v === undefined || v === null ? '<unset>' : v);

export function describeEndpointSlice(eps: EndpointSlice, ctx: DescribeContext): string {
  const events = ctx.events(eventRef(eps));
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${eps.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${eps.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', eps.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', eps.metadata.annotations);
    w.write(LEVEL_0, `AddressType:\t${eps.addressType ?? ''}\n`);
    const ports = eps.ports ?? [];
    if (ports.length === 0) {
      w.write(LEVEL_0, 'Ports: <unset>\n');
    } else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const port of ports) {
        const number = port.port === undefined || port.port === null ? '<unset>' : String(port.port);
        w.write(LEVEL_1, `${port.name || '<unset>'}\t${number}\t${port.protocol ?? ''}\n`);
      }
    }
    const endpoints = eps.endpoints ?? [];
    if (endpoints.length === 0) {
      w.write(LEVEL_0, 'Endpoints: <none>\n');
    } else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const ep of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${ep.addresses?.join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        const ready = ep.conditions?.ready;
        w.write(LEVEL_3, `Ready:\t${ready === undefined || ready === null ? '<unset>' : String(ready)}\n`);
        w.write(LEVEL_2, `Hostname:\t${orUnset(ep.hostname)}\n`);
        if (ep.targetRef) w.write(LEVEL_2, `TargetRef:\t${ep.targetRef.kind ?? ''}/${ep.targetRef.name ?? ''}\n`);
        w.write(LEVEL_2, `NodeName:\t${orUnset(ep.nodeName)}\n`);
        w.write(LEVEL_2, `Zone:\t${orUnset(ep.zone)}\n`);
      }
    }
    describeEvents(w, events, ctx);
  });
}

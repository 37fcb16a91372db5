/** kubectl describe ingressclass (describeIngressClassV1 in staging/src/k8s.io/kubectl/pkg/describe/describe.go). */
import type { IngressClass } from '../../api/types.ts';
import { describeEvents, eventRef, printAnnotationsMultiline, printLabelsMultiline } from './common.ts';
import type { DescribeContext } from './context.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './writer.ts';

interface Parameters {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

export function describeIngressClass(ic: IngressClass, ctx: DescribeContext): string {
  const events = ctx.events(eventRef(ic));
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ic.metadata.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ic.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', ic.metadata.annotations);
    w.write(LEVEL_0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
    const params = ic.spec?.parameters as Parameters | undefined;
    if (params) {
      w.write(LEVEL_0, 'Parameters:\n');
      if (params.apiGroup !== undefined && params.apiGroup !== null) w.write(LEVEL_1, `APIGroup:\t${params.apiGroup}\n`);
      w.write(LEVEL_1, `Kind:\t${params.kind ?? ''}\n`);
      w.write(LEVEL_1, `Name:\t${params.name ?? ''}\n`);
    }
    describeEvents(w, events, ctx);
  });
}

/** kubectl describe configmap (ConfigMapDescriber in staging/src/k8s.io/kubectl/pkg/describe/describe.go). */
import type { ConfigMap } from '../../api/types.ts';
import { describeEvents, eventRef, printAnnotationsMultiline, printLabelsMultiline, sortedKeys } from './common.ts';
import type { DescribeContext } from './context.ts';
import { LEVEL_0, tabbedString } from './writer.ts';

/** The decoded length of base64 data, as Go's []byte holds it. */
function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

/**
 * kubectl 1.32 walks the data maps in Go's random map order; keys are printed sorted here, the
 * order later kubectl versions settled on.
 */
export function describeConfigMap(cm: ConfigMap, ctx: DescribeContext): string {
  const events = ctx.events(eventRef(cm));
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${cm.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${cm.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', cm.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', cm.metadata.annotations);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of sortedKeys(cm.data)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${cm.data![k]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    for (const k of sortedKeys(cm.binaryData)) w.write(LEVEL_0, `${k}: ${decodedLength(cm.binaryData![k])} bytes\n`);
    w.write(LEVEL_0, '\n');
    describeEvents(w, events, ctx);
  });
}

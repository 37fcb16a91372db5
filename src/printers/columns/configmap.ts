/** ConfigMap rows: printConfigMap in k8s.io/kubernetes pkg/printers/internalversion/printers.go. */
import type { ConfigMap, KObject } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, nameOf, type KindPrinter } from './common.ts';

export const configMapPrinter: KindPrinter = {
  columns: [NAME, column('Data'), AGE],
  cells: (object: KObject, now: Date) => {
    const cm = object as ConfigMap;
    const keys = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [nameOf(cm), String(keys), ageOf(cm, now)];
  },
};

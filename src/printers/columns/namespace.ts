/** Namespace rows: printNamespace in k8s.io/kubernetes pkg/printers/internalversion/printers.go. */
import type { KObject, Namespace } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, nameOf, type KindPrinter } from './common.ts';

export const namespacePrinter: KindPrinter = {
  columns: [NAME, column('Status'), AGE],
  cells: (object: KObject, now: Date) => [nameOf(object), (object as Namespace).status?.phase ?? '', ageOf(object, now)],
};

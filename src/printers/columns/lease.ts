/** Lease rows: printLease in k8s.io/kubernetes pkg/printers/internalversion/printers.go. */
import type { KObject, Lease } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, nameOf, type KindPrinter } from './common.ts';

export const leasePrinter: KindPrinter = {
  columns: [NAME, column('Holder'), AGE],
  cells: (object: KObject, now: Date) => [nameOf(object), (object as Lease).spec?.holderIdentity ?? '', ageOf(object, now)],
};

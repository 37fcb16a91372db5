/**
 * Which printer renders which resource, as the apiserver's table convertors are registered
 * (k8s.io/kubernetes pkg/printers/internalversion/printers.go, AddHandlers).
 */
import type { KObject } from '../../api/types.ts';
import { deploymentPrinter, replicaSetPrinter } from './apps.ts';
import { AGE, NAME, ageOf, nameOf, type KindPrinter } from './common.ts';
import { configMapPrinter } from './configmap.ts';
import { endpointSlicePrinter, endpointsPrinter } from './endpoints.ts';
import { eventPrinter } from './event.ts';
import { ingressClassPrinter, ingressPrinter } from './ingress.ts';
import { leasePrinter } from './lease.ts';
import { namespacePrinter } from './namespace.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import { servicePrinter } from './service.ts';

const PRINTERS: Readonly<Record<string, KindPrinter>> = {
  configmaps: configMapPrinter,
  deployments: deploymentPrinter,
  endpoints: endpointsPrinter,
  endpointslices: endpointSlicePrinter,
  events: eventPrinter,
  ingressclasses: ingressClassPrinter,
  ingresses: ingressPrinter,
  leases: leasePrinter,
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  pods: podPrinter,
  replicasets: replicaSetPrinter,
  services: servicePrinter,
};

/** The columns kubectl falls back to for a kind without a printer (tableprinter.go, printObjectMeta). */
const defaultPrinter: KindPrinter = {
  columns: [NAME, AGE],
  cells: (object: KObject, now: Date) => [nameOf(object), ageOf(object, now)],
};

export function printerFor(resource: string): KindPrinter {
  return Object.hasOwn(PRINTERS, resource) ? PRINTERS[resource] : defaultPrinter;
}

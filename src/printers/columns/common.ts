/**
 * Pieces shared by the per-kind printers, each the TypeScript counterpart of a helper in
 * k8s.io/kubernetes pkg/printers/internalversion/printers.go.
 */
import type { Container, KObject, Labels, LoadBalancerIngress } from '../../api/types.ts';
import type { TableColumn } from '../table.ts';
import { labelsString } from '../../selectors/labels.ts';
import { age } from '../../util/duration.ts';

/** A kind's column definitions and the function producing one row's cells (wide ones included). */
export interface KindPrinter<Row = unknown> {
  columns: readonly TableColumn[];
  cells(object: KObject, now: Date): string[];
  /**
   * For a kind listed by the ten thousand (pods): the part of a row that does not depend on the
   * clock, which the store keeps beside each object, and the cells made from it and the object's
   * name. `cells` returns undefined for a row that is not of this shape (a store written by an
   * older kfake has none); the object is then decoded after all.
   */
  stored?: {
    of(object: KObject): Row;
    cells(row: unknown, name: string, now: Date): string[] | undefined;
  };
}

export const NAME: TableColumn = { name: 'Name', priority: 0, format: 'name' };
export const AGE: TableColumn = { name: 'Age', priority: 0 };

export function column(name: string, priority = 0): TableColumn {
  return { name, priority };
}

export function nameOf(object: KObject): string {
  return object.metadata.name ?? '';
}

/** translateTimestampSince(obj.CreationTimestamp). */
export function ageOf(object: KObject, now: Date): string {
  return age(object.metadata.creationTimestamp, now);
}

/** labels.FormatLabels: sorted `k=v,...`, `<none>` when empty. */
export function formatLabels(labels: Labels | undefined): string {
  return labelsString(labels) || '<none>';
}

/** layoutContainerCells: container names and images, each joined by `,`. */
export function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/**
 * loadBalancerStatusStringer / ingressLoadBalancerStatusStringer as the server calls them
 * (wide): each entry's IP, else its hostname, de-duplicated and sorted, joined by `,`. The
 * 16-character clipping of the non-wide form never reaches `kubectl get`.
 */
export function loadBalancerAddresses(ingress: readonly LoadBalancerIngress[] | undefined): string {
  const set = new Set<string>();
  for (const entry of ingress ?? []) {
    if (entry.ip) set.add(entry.ip);
    else if (entry.hostname) set.add(entry.hostname);
  }
  return [...set].sort(compareStrings).join(',');
}

/**
 * listWithMoreString and its callers: the first `max` items joined by `,`, then
 * ` + <n> more...` for the rest; `<unset>` for an empty list.
 */
export function listWithMore(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/**
 * Go's string ordering, which sets.String.List and sort.Strings use. Go compares UTF-8 bytes,
 * JavaScript UTF-16 units; the two agree on everything these printers sort (IPs, host names,
 * label keys).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

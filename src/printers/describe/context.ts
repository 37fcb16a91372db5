/**
 * What a describer may ask of the cluster. kubectl's describers talk to the API server; kfake's
 * read the store through this interface, so they stay pure and testable.
 */
import type { Event, KObject } from '../../api/types.ts';
import type { Selector } from '../../selectors/labels.ts';

/** The involved object an events query is about (kubectl's `searchEvents` field selector). */
export interface EventRef {
  /**
   * `involvedObject.namespace`; '' (or absent) for cluster-scoped objects, whose events are then
   * searched in every namespace, as `client.Events("")` does.
   */
  namespace?: string;
  /** `involvedObject.name`. */
  name: string;
  /** `involvedObject.kind`; absent means any kind (kubectl drops it for pods). */
  kind?: string;
  /** `involvedObject.uid`; absent means any uid. */
  uid?: string;
}

export interface DescribeContext {
  /** The current time: event ages, pod ages on nodes, `Terminating (lasts ...)`. */
  now: Date;
  /** One object; resource is the plural (`services`, `leases`); '' namespace for cluster-scoped. */
  get(resource: string, namespace: string, name: string): KObject | undefined;
  /** Objects of a resource, all namespaces when namespace is undefined; sorted by namespace, name. */
  list(resource: string, namespace: string | undefined, selector?: Selector): KObject[];
  /** Core v1 events whose involvedObject matches every field given, in server (namespace, name) order. */
  events(ref: EventRef): Event[];
  /**
   * `--show-events`: when false, kubectl fetches no events and its describers leave the Events
   * section out entirely (they print it only for a non-nil list).
   */
  showEvents: boolean;
}

/**
 * Events as the cluster's components record them. Controllers and the kubelet use client-go's
 * core/v1 recorder (count, first/last timestamps, source); the scheduler uses the events.k8s.io
 * recorder (eventTime, action, reportingInstance, no count). Repeats of the same event on the
 * same object within ten minutes bump `count`, as client-go's EventCorrelator does.
 */
import type { Event, KObject } from '../api/types.ts';
import { apiVersionOf, infoForObject } from '../api/registry.ts';
import type { ClusterState } from '../store/state.ts';
import { rfc3339, rfc3339Micro } from '../util/duration.ts';
import { randomUID, type Random } from '../util/random.ts';
import { clone } from '../util/clone.ts';

export interface EventSource {
  component: string;
  host?: string;
}

const TEN_MINUTES = 10 * 60 * 1000;

export class EventRecorder {
  private readonly state: ClusterState;
  private readonly now: Date;
  private readonly rng: Random;
  private seq = 0;

  constructor(state: ClusterState, now: Date, rng: Random) {
    this.state = state;
    this.now = now;
    this.rng = rng;
  }

  /** `<object name>.<UnixNano in hex>`, unique within the namespace. */
  private eventName(objName: string, namespace: string): string {
    for (;;) {
      const nanos = BigInt(this.now.getTime()) * 1000000n + BigInt(this.seq++);
      const name = `${objName}.${nanos.toString(16)}`;
      if (!this.state.has('events', namespace, name)) return name;
    }
  }

  private reference(obj: KObject, fieldPath?: string): Event['involvedObject'] {
    const info = infoForObject(obj.apiVersion, obj.kind);
    return {
      kind: obj.kind,
      ...(info?.namespaced ? { namespace: obj.metadata.namespace } : {}),
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: info ? apiVersionOf(info) : obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
  }

  /** Events about cluster-scoped objects (nodes) live in the `default` namespace. */
  private namespaceFor(obj: KObject): string {
    return obj.metadata.namespace || 'default';
  }

  /** A core/v1 event from a controller or the kubelet. */
  record(
    obj: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const namespace = this.namespaceFor(obj);
    const ref = this.reference(obj, fieldPath);
    const nowText = rfc3339(this.now);
    const existing = this.state
      .eventsAbout<Event>(namespace, ref.kind ?? '', ref.name ?? '', ref.uid ?? '', reason)
      .find(
        (e) =>
          e.reason === reason &&
          e.message === message &&
          e.type === type &&
          e.source?.component === source.component &&
          (e.source?.host ?? '') === (source.host ?? '') &&
          e.involvedObject.fieldPath === ref.fieldPath &&
          e.count !== undefined &&
          this.now.getTime() - Date.parse(e.lastTimestamp ?? '') < TEN_MINUTES,
      );
    if (existing) {
      const next = clone(existing);
      next.count = (next.count ?? 1) + 1;
      next.lastTimestamp = nowText;
      this.state.put('events', next);
      return;
    }
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.eventName(obj.metadata.name!, namespace),
        namespace,
        uid: randomUID(this.rng),
        creationTimestamp: nowText,
      },
      involvedObject: ref,
      reason,
      message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: nowText,
      lastTimestamp: nowText,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    this.state.put('events', ev);
  }

  /** An events.k8s.io/v1 event (the scheduler's), as the core/v1 API shows it. */
  recordNew(
    obj: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    action: string,
    message: string,
    reportingController: string,
    reportingInstance: string,
  ): void {
    const namespace = this.namespaceFor(obj);
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.eventName(obj.metadata.name!, namespace),
        namespace,
        uid: randomUID(this.rng),
        creationTimestamp: rfc3339(this.now),
      },
      involvedObject: this.reference(obj),
      reason,
      message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime: rfc3339Micro(this.now),
      action,
      reportingComponent: reportingController,
      reportingInstance,
    };
    this.state.put('events', ev);
  }
}

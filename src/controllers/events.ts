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
import { jsonBytes, type JsonOut } from '../store/format.ts';

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
  /**
   * Repeat detection without decoding the same events again: per involved object, the reasons
   * already looked up in the store and the core/v1 events known about it. A ReplicaSet creating
   * ten pods records ten SuccessfulCreate events, each checked against the others. Kept as small
   * records rather than one long key string per event: a big apply records tens of thousands.
   */
  private readonly known = new Map<string, KnownEvents>();

  /** The reference made last (see reference()). */
  private lastReference: Reference | undefined;
  /** JSON of each event source seen. */
  private readonly sources = new Map<string, Buffer>();
  private nowMicroText: string | undefined;
  private readonly nowNanos: bigint;
  private readonly nanosHigh: number;
  private readonly nanosLow: number;
  private readonly nowText: string;
  /** Objects created after this many creations in the state are younger than this recorder. */
  private readonly creationsBefore: number;

  constructor(state: ClusterState, now: Date, rng: Random) {
    this.state = state;
    this.creationsBefore = state.creationCount();
    this.now = now;
    this.rng = rng;
    this.nowNanos = BigInt(now.getTime()) * 1000000n;
    this.nanosHigh = Number(this.nowNanos >> 32n);
    this.nanosLow = Number(this.nowNanos & 0xffffffffn);
    this.nowText = rfc3339(now);
  }

  /** `<object name>.<UnixNano in hex>`, unique within the namespace. */
  private eventName(objName: string, namespace: string): string {
    for (;;) {
      const name = `${objName}.${this.nanosHex(this.seq++)}`;
      if (!this.state.has('events', namespace, name)) return name;
    }
  }

  /**
   * now + `add` nanoseconds in hex. The nanoseconds need more than a double's 53 bits, so they
   * are kept as two 32-bit halves (a BigInt per event costs more than the rest of its name).
   */
  private nanosHex(add: number): string {
    if (this.nowNanos < 0n) return (this.nowNanos + BigInt(add)).toString(16);
    return nanosHex(this.nanosHigh, this.nanosLow, add);
  }

  private reference(obj: KObject, fieldPath?: string): Reference {
    const last = this.lastReference;
    if (last && last.obj === obj && last.fieldPath === fieldPath && last.resourceVersion === obj.metadata.resourceVersion) return last;
    const info = infoForObject(obj.apiVersion, obj.kind);
    const ref: Event['involvedObject'] = {
      kind: obj.kind,
      ...(info?.namespaced ? { namespace: obj.metadata.namespace } : {}),
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: info ? apiVersionOf(info) : obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
    // The kubelet records several events about one container in a row: they share this.
    this.lastReference = { obj, fieldPath, resourceVersion: obj.metadata.resourceVersion, ref, json: Buffer.from(JSON.stringify(ref)) };
    return this.lastReference;
  }

  private sourceJson(source: EventSource): Buffer {
    const key = `${source.component}\0${source.host ?? ''}`;
    let json = this.sources.get(key);
    if (json === undefined) {
      json = Buffer.from(JSON.stringify(source.host ? { component: source.component, host: source.host } : { component: source.component }));
      this.sources.set(key, json);
    }
    return json;
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
    const reference = this.reference(obj, fieldPath);
    const ref = reference.ref;
    const nowText = this.nowText;
    const objectKey = ref.uid ? ref.uid : `${namespace}\0${ref.kind}\0${ref.name}`;
    let known = this.known.get(objectKey);
    if (!known) {
      known = { reasons: [], events: [], young: !!ref.uid && this.state.createdAfter(ref.uid, this.creationsBefore) };
      this.known.set(objectKey, known);
    }
    // Every event about an object younger than this recorder was recorded here: none to look up.
    if (!known.young && !known.reasons.includes(reason)) {
      known.reasons.push(reason);
      for (const e of this.state.eventsAbout<Event>(namespace, ref.kind ?? '', ref.name ?? '', ref.uid ?? '', reason)) {
        if (e.count === undefined) continue;
        known.events.push({
          reason,
          message: e.message ?? '',
          type: e.type ?? '',
          component: e.source?.component ?? '',
          host: e.source?.host ?? '',
          fieldPath: e.involvedObject.fieldPath,
          name: e.metadata.name!,
        });
      }
    }
    // client-go's EventAggregator key: the object, reason, message, type, source and fieldPath
    const host = source.host ?? '';
    const same = known.events.findLast(
      (k) =>
        k.reason === reason && k.message === message && k.type === type && k.component === source.component && k.host === host && k.fieldPath === ref.fieldPath,
    );
    const previous = same?.name;
    const existing = previous === undefined ? undefined : this.state.get<Event>('events', namespace, previous);
    if (existing && this.now.getTime() - Date.parse(existing.lastTimestamp ?? '') < TEN_MINUTES) {
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
    const sourceJson = this.sourceJson(source);
    // JSON.stringify(ev), with the parts it shares with other events made once
    this.state.put('events', ev, (e, out) => {
      writeEventStart(out, e, reference, reason, message);
      out.raw(CORE_SOURCE);
      out.raw(sourceJson);
      field(out, CORE_FIRST, nowText);
      field(out, CORE_LAST, nowText);
      field(out, CORE_TYPE, type);
      field(out, CORE_COMPONENT, source.component);
      field(out, CORE_INSTANCE, source.host ?? '');
      out.raw(EVENT_END);
    });
    known.events.push({ reason, message, type, component: source.component, host, fieldPath: ref.fieldPath, name: ev.metadata.name! });
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
    const reference = this.reference(obj);
    const eventTime = (this.nowMicroText ??= rfc3339Micro(this.now));
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.eventName(obj.metadata.name!, namespace),
        namespace,
        uid: randomUID(this.rng),
        creationTimestamp: this.nowText,
      },
      involvedObject: reference.ref,
      reason,
      message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime,
      action,
      reportingComponent: reportingController,
      reportingInstance,
    };
    // JSON.stringify(ev), with the involved object's part made once
    this.state.put('events', ev, (e, out) => {
      writeEventStart(out, e, reference, reason, message);
      field(out, NEW_NO_SOURCE, type);
      field(out, NEW_EVENT_TIME, eventTime);
      field(out, NEW_ACTION, action);
      field(out, NEW_COMPONENT, reportingController);
      field(out, NEW_INSTANCE, reportingInstance);
      out.raw(EVENT_END);
    });
  }
}

/** What repeat detection compares of an event about one object, and the event's name. */
interface KnownEvent {
  reason: string;
  message: string;
  type: string;
  component: string;
  host: string;
  fieldPath: string | undefined;
  name: string;
}

interface KnownEvents {
  reasons: string[];
  events: KnownEvent[];
  /** The object was created after this recorder: all its events are in `events`. */
  young: boolean;
}

/** An involvedObject reference, with its JSON, and what it was made from. */
interface Reference {
  obj: KObject;
  fieldPath: string | undefined;
  resourceVersion: string | undefined;
  ref: Event['involvedObject'];
  json: Buffer;
}

// The constant pieces of an event's JSON, in the order JSON.stringify writes the event's fields.
const EVENT_NAME = jsonBytes('{"apiVersion":"v1","kind":"Event","metadata":{"name":');
const EVENT_NAMESPACE = jsonBytes(',"namespace":');
const EVENT_UID = jsonBytes(',"uid":');
const EVENT_CREATED = jsonBytes(',"creationTimestamp":');
const EVENT_RV = jsonBytes(',"resourceVersion":');
const EVENT_INVOLVED = jsonBytes('},"involvedObject":');
const EVENT_REASON = jsonBytes(',"reason":');
const EVENT_MESSAGE = jsonBytes(',"message":');
const EVENT_END = jsonBytes('}');
const CORE_SOURCE = jsonBytes(',"source":');
const CORE_FIRST = jsonBytes(',"firstTimestamp":');
const CORE_LAST = jsonBytes(',"lastTimestamp":');
const CORE_TYPE = jsonBytes(',"count":1,"type":');
const CORE_COMPONENT = jsonBytes(',"eventTime":null,"reportingComponent":');
const CORE_INSTANCE = jsonBytes(',"reportingInstance":');
const NEW_NO_SOURCE = jsonBytes(',"source":{},"firstTimestamp":null,"lastTimestamp":null,"type":');
const NEW_EVENT_TIME = jsonBytes(',"eventTime":');
const NEW_ACTION = jsonBytes(',"action":');
const NEW_COMPONENT = jsonBytes(',"reportingComponent":');
const NEW_INSTANCE = jsonBytes(',"reportingInstance":');

/**
 * The JSON of a new event up to its message: both kinds of event start alike, and their metadata
 * holds name, namespace, uid, creationTimestamp, then the resourceVersion put() added.
 */
function writeEventStart(out: JsonOut, e: KObject, reference: Reference, reason: string, message: string): void {
  const m = e.metadata;
  field(out, EVENT_NAME, m.name);
  field(out, EVENT_NAMESPACE, m.namespace);
  field(out, EVENT_UID, m.uid);
  field(out, EVENT_CREATED, m.creationTimestamp);
  field(out, EVENT_RV, m.resourceVersion);
  out.raw(EVENT_INVOLVED);
  out.raw(reference.json);
  field(out, EVENT_REASON, reason);
  field(out, EVENT_MESSAGE, message);
}

/** A string field: what precedes its value (a comma and its name), then the value. */
function field(out: JsonOut, before: Uint8Array, value: string | null | undefined): void {
  out.raw(before);
  out.string(value);
}

/** (high × 2³² + low + add) in hex, for non-negative high and low < 2³². */
export function nanosHex(high: number, low: number, add: number): string {
  const sum = low + add;
  const carry = Math.floor(sum / 0x100000000);
  const top = high + carry;
  const lowHex = (sum - carry * 0x100000000).toString(16);
  return top === 0 ? lowHex : top.toString(16) + lowHex.padStart(8, '0');
}


/**
 * Helpers shared by kubectl's describers (staging/src/k8s.io/kubectl/pkg/describe/describe.go):
 * label/annotation/taint/toleration blocks, the events table, endpoint lists, timestamps.
 */
import type { EndpointSlice, Event, KObject, Labels, Taint, Toleration } from '../../api/types.ts';
import { age, rfc1123z } from '../../util/duration.ts';
import type { DescribeContext, EventRef } from './context.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.ts';

/** Byte order, as Go's sort.Strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedKeys(m: Record<string, unknown> | undefined): string[] {
  return Object.keys(m ?? {}).sort(compareStrings);
}

export function stringOrNone(s: string | undefined): string {
  return s ? s : '<none>';
}

/** Go's %t / printBool variants. */
export function printBool(value: boolean | undefined): string {
  return value ? 'True' : 'False';
}

/**
 * metav1.Time formatted with RFC1123Z. Parsed times are shown in the local zone; an absent time is
 * Go's zero time, which carries UTC.
 */
export function formatTime(ts: string | null | undefined): string {
  return ts ? rfc1123z(ts) : 'Mon, 01 Jan 0001 00:00:00 +0000';
}

/** translateTimestampSince / translateMicroTimestampSince. */
export function since(ts: string | null | undefined, ctx: DescribeContext): string {
  return age(ts, ctx.now);
}

/** printLabelsMultiline: the first label after the title, the others aligned below it. */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Labels | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = sortedKeys(labels);
  if (keys.length === 0) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

// kubectl hides the client-side apply annotation everywhere (skipAnnotations).
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;

const utf8 = new TextEncoder();
const byteLength = (s: string) => utf8.encode(s).length;

/** shorten(): Go slices bytes, not characters. */
function shorten(s: string, max: number): string {
  const bytes = utf8.encode(s);
  return bytes.length > max ? new TextDecoder().decode(bytes.slice(0, max)) + '...' : s;
}

/**
 * printAnnotationsMultiline: long (key + value + 2 > 140 bytes) or multi-line values go below
 * their key, each line cut at 138 bytes.
 */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = sortedKeys(annotations).filter((k) => k !== LAST_APPLIED);
  if (keys.length === 0) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = annotations![key].replace(/\n$/, '');
    if (byteLength(value) + byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** Taint.ToString(). */
function taintString(t: Taint): string {
  const value = t.value ? `=${t.value}` : '';
  if (!t.effect) return t.value ? `${t.key}${value}:` : t.key;
  return `${t.key}${value}:${t.effect}`;
}

/** printTaintsMultilineWithIndent: sorted by effect, then key. */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  const sorted = [...taints].sort((a, b) => compareStrings(`${a.effect ?? ''},${a.key}`, `${b.effect ?? ''},${b.key}`));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultilineWithIndent: sorted by key, `key[=value][:effect][ op=Exists][ for Ns]`. */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  const sorted = [...tolerations].sort((a, b) => compareStrings(a.key ?? '', b.key ?? ''));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    // An empty Exists toleration tolerates everything and prints as a bare `op=Exists`.
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

/** metav1.GetControllerOf formatted as `Kind/name` (printController). */
export function controllerOf(obj: KObject): string {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** The reference kubectl's searchEvents builds for an object (reference.GetReference). */
export function eventRef(obj: KObject): EventRef {
  return {
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
    kind: obj.kind,
    uid: obj.metadata.uid || undefined,
  };
}

function lastTimestampMillis(e: Event): number {
  return e.lastTimestamp ? Date.parse(e.lastTimestamp) : Number.NEGATIVE_INFINITY;
}

/**
 * DescribeEvents: `Events:  <none>`, or a table sorted by lastTimestamp (events that only have an
 * eventTime sort first, as Go's zero time does). Nothing with `--show-events=false`.
 */
export function describeEvents(w: PrefixWriter, events: Event[], ctx: DescribeContext): void {
  if (!ctx.showEvents) return;
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  const sorted = [...events].sort((a, b) => {
    const x = lastTimestampMillis(a);
    const y = lastTimestampMillis(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, ctx) : since(e.firstTimestamp, ctx);
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, ctx)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, ctx)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}

/** net.JoinHostPort. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * formatEndpointSlices: ready (or unknown) endpoints of the slice ports called `portName`, the
 * first three and a `+ N more...` count; `<none>` without any slice.
 */
export function formatEndpointSlices(slices: EndpointSlice[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const visit = (ready: boolean | undefined, entry: () => string) => {
    // kubectl flags "more" before looking at readiness, so a skipped endpoint can still set it.
    if (list.length === max) more = true;
    if (ready === false) return;
    if (!more) list.push(entry());
    count++;
  };
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    const ports = slice.ports ?? [];
    if (ports.length === 0) {
      // headless services may have no ports
      for (const ep of endpoints) visit(ep.conditions?.ready, () => ep.addresses[0]);
      continue;
    }
    for (const port of ports) {
      if ((port.name ?? '') !== portName) continue;
      for (const ep of endpoints) visit(ep.conditions?.ready, () => joinHostPort(ep.addresses[0], String(port.port)));
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

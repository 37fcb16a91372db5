/**
 * One HTTP request from a place, end to end: resolve the host, connect through kube-proxy and
 * the network, find the server listening there, check TLS, let the server answer, and append
 * the server's access-log line to its container's log. curl and wget turn the outcome into
 * their own output; `kfake trace` shows the steps.
 */
import { normalizeImage } from '../runtime/images.ts';
import { appendLog } from '../runtime/logs.ts';
import { findListener, hostListeners, podListeners, type Bound } from './apps/index.ts';
import type { HttpRequest, HttpResponse } from './apps/http.ts';
import type { NetContext } from './context.ts';
import { getaddrinfo, type LookupError } from './dns/resolver.ts';
import { podPlace, type Place } from './place.ts';
import { connect } from './proxy/kube-proxy.ts';
import type { Trace } from './trace.ts';

export interface Url {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path and query, at least `/`. */
  target: string;
  /** Whether the URL named the port. */
  explicitPort: boolean;
}

/** Parse a URL as curl/wget do (a missing scheme means http). Undefined when malformed. */
export function parseUrl(raw: string): Url | { error: 'scheme'; scheme: string } | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/?#:]*|\[[^\]]*\])(?::(\d*))?([/?][^#]*)?(#.*)?$/.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { error: 'scheme', scheme: m[1] };
  if (!m[2]) return undefined;
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  let target = m[4] ?? '/';
  if (target.startsWith('?')) target = `/${target}`;
  return { scheme, host: m[2].toLowerCase(), port, target, explicitPort: !!m[3] };
}

export interface HttpCall {
  url: Url;
  method: string;
  /** Request headers as the client sends them (Host included). */
  headers: [string, string][];
  body: string;
  /** curl -k: accept any certificate. */
  insecure: boolean;
}

export type CallResult =
  | { stage: 'resolve'; error: LookupError }
  | { stage: 'connect'; ip: string; port: number; error: 'refused' | 'timeout' | 'unreachable'; sourceIP: string }
  | { stage: 'tls'; ip: string; port: number; error: 'untrusted' | 'not-tls'; sourceIP: string }
  | { stage: 'empty'; ip: string; port: number; sourceIP: string }
  | { stage: 'done'; ip: string; port: number; response: HttpResponse; tls: boolean; sourceIP: string };

type Exchange =
  | { ok: true; response: HttpResponse; tls: boolean; bound: Bound }
  | { ok: false; error: 'refused' | 'timeout' | 'unreachable' }
  | { ok: false; error: 'tls-untrusted' | 'tls-not-tls' };

/** A Linux ephemeral port (net.ipv4.ip_local_port_range 32768-60999). */
function ephemeralPort(net: NetContext): number {
  return 32768 + net.rng.int(28232);
}

function describeServer(b: Bound): string {
  const pod = b.instance.pod;
  return `pod ${pod.metadata.namespace}/${pod.metadata.name}${pod.spec.nodeName ? ` on ${pod.spec.nodeName}` : ''}, container ${b.instance.container.name} (${normalizeImage(b.instance.container.image ?? '')})`;
}

/** Connect from a place to ip:port and have the server there answer the request. */
function exchange(
  net: NetContext,
  from: Place,
  ip: string,
  port: number,
  req: Omit<HttpRequest, 'remoteAddr' | 'remotePort' | 'localPort'>,
  insecure: boolean,
  trace?: Trace,
): Exchange {
  const conn = connect(net, { from, ip, port, protocol: 'TCP', record: true }, trace);
  if (!conn.ok) return { ok: false, error: conn.error };
  const d = conn.delivery;
  const bound = d.kind === 'pod' ? podListeners(net.state, d.pod) : d.node ? hostListeners(net.state, d.node, d.ip) : [];
  const l = findListener(bound, d.port, 'TCP');
  if (!l) {
    const where = d.kind === 'pod' ? `pod ${d.pod.metadata.namespace}/${d.pod.metadata.name}` : d.node ? `node ${d.node.metadata.name}` : d.ip;
    const listening = bound.filter((b) => b.listener.protocol === 'TCP').map((b) => b.listener.port);
    trace?.add('fail', `nothing listens on port ${d.port} in ${where}: the connection is refused`, [
      listening.length ? `listening there: ${[...new Set(listening)].join(', ')}` : 'no server runs there',
    ]);
    return { ok: false, error: 'refused' };
  }
  trace?.add('pod', `${describeServer(l)} listens on ${d.port}/TCP and takes the connection from ${conn.clientIP}`);
  if (req.scheme === 'https' && !l.listener.tls) {
    trace?.add('fail', `port ${d.port} speaks plain HTTP, not TLS: the TLS handshake fails`);
    return { ok: false, error: 'tls-not-tls' };
  }
  if (req.scheme === 'https' && !insecure) {
    trace?.add('fail', `the server's certificate is not signed by a CA the client trusts`);
    return { ok: false, error: 'tls-untrusted' };
  }
  const full: HttpRequest = { ...req, remoteAddr: conn.clientIP, remotePort: ephemeralPort(net), localPort: d.port };
  const serverPlace = podPlace(net.state, l.instance.pod, l.instance.container);
  const response = l.app.serve(full, {
    net,
    app: l.instance,
    trace,
    forward: (target, r) => {
      const res = exchange(net, serverPlace, target.ip, target.port, { ...r, scheme: 'http' }, false, trace);
      if (res.ok) return { ok: true, response: res.response };
      return { ok: false, error: res.error === 'timeout' ? 'timeout' : res.error === 'unreachable' ? 'unreachable' : 'refused' };
    },
  });
  const line = l.app.accessLog?.(full, response, { net, app: l.instance, trace, forward: () => ({ ok: false, error: 'refused' }) });
  if (line) appendLog(net.state, l.instance.pod, l.instance.container.name, line);
  return { ok: true, response, tls: req.scheme === 'https', bound: l };
}

/** Perform one HTTP request from a place. */
export function httpCall(net: NetContext, from: Place, call: HttpCall, trace?: Trace): CallResult {
  const lookup = getaddrinfo(net, from, call.url.host, trace);
  if (!lookup.ok) return { stage: 'resolve', error: lookup.error };
  const ip = lookup.addresses[0];
  const port = call.url.port;
  const res = exchange(net, from, ip, port, { method: call.method, target: call.url.target, headers: call.headers, body: call.body, scheme: call.url.scheme }, call.insecure, trace);
  if (!res.ok) {
    if (res.error === 'tls-untrusted' || res.error === 'tls-not-tls') {
      return { stage: 'tls', ip, port, error: res.error === 'tls-untrusted' ? 'untrusted' : 'not-tls', sourceIP: from.ip };
    }
    return { stage: 'connect', ip, port, error: res.error, sourceIP: from.ip };
  }
  if (res.response.status === 0) {
    trace?.add('fail', 'the server closed the connection without answering (it does not speak HTTP on this port)');
    return { stage: 'empty', ip, port, sourceIP: from.ip };
  }
  trace?.add('http', `${call.method} ${call.url.target} -> ${res.response.status} ${res.response.reason} (${Buffer.byteLength(res.response.body)} bytes)`);
  return { stage: 'done', ip, port, response: res.response, tls: res.tls, sourceIP: from.ip };
}


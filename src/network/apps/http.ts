/**
 * HTTP/1.1 messages between the simulated clients (curl, wget, ingress-nginx) and servers, and
 * the small formatting helpers servers share (dates, nginx's $time_local, error pages).
 */
import type { Container, Pod } from '../../api/types.ts';
import type { NetContext } from '../context.ts';
import type { ImageProfile } from '../images.ts';
import type { Trace } from '../trace.ts';

export interface HttpRequest {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  headers: [string, string][];
  body: string;
  scheme: 'http' | 'https';
  /** The address and port the server sees the connection come from. */
  remoteAddr: string;
  remotePort: number;
  /** The port the connection arrived on in the server's network namespace. */
  localPort: number;
}

export interface HttpResponse {
  status: number;
  reason: string;
  /** In the order the server sends them. */
  headers: [string, string][];
  body: string;
}

export function header(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** The request line, as access logs quote it. */
export function requestLine(req: HttpRequest): string {
  return `${req.method} ${req.target} HTTP/1.1`;
}

/** IMF-fixdate (`Sat, 21 Nov 2026 10:00:00 GMT`). */
export function httpDate(d: Date): string {
  return d.toUTCString();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** nginx/Apache `%t` / $time_local in a container's UTC: `21/Nov/2026:10:00:00 +0000`. */
export function timeLocal(d: Date): string {
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** nginx's error-log time, `2026/11/21 10:00:00`. */
export function nginxLogTime(d: Date): string {
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

export function bytes(s: string): number {
  return Buffer.byteLength(s);
}

/** A container running a server, as the server sees its environment. */
export interface AppInstance {
  pod: Pod;
  container: Container;
  image: ImageProfile;
  env: ReadonlyMap<string, string>;
  hostname: string;
  podIP: string;
}

export interface Listener {
  port: number;
  protocol: 'TCP' | 'UDP';
  tls?: boolean;
}

/** A server's own outgoing request (a reverse proxy's), answered by whatever listens there. */
export type Forward = (
  target: { ip: string; port: number },
  req: Omit<HttpRequest, 'remoteAddr' | 'remotePort' | 'localPort' | 'scheme'>,
) => { ok: true; response: HttpResponse } | { ok: false; error: 'refused' | 'timeout' | 'unreachable' };

export interface ServeContext {
  net: NetContext;
  app: AppInstance;
  forward: Forward;
  trace?: Trace;
}

/** What a server does: where it listens, how it answers, what it logs. */
export interface ServerApp {
  listeners(app: AppInstance): Listener[];
  serve(req: HttpRequest, x: ServeContext): HttpResponse;
  /** A line for the container's log (stdout/stderr), if the server logs requests. */
  accessLog?(req: HttpRequest, res: HttpResponse, x: ServeContext): string | undefined;
  /** What the server prints when it starts. */
  startupLog?(app: AppInstance, now: Date): string;
}

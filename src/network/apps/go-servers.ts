/**
 * Small Go servers (net/http): hashicorp/http-echo and traefik/whoami. Go's server writes the
 * handler's headers sorted by name, then Date, Content-Length and the sniffed Content-Type
 * (net/http server.go chunkWriter.writeHeader, extraHeader.Write).
 *
 * http-echo (v1.0.0): `-listen` (default `:5678`), `-text` (the body, plus a newline),
 * `-status-code`; headers X-App-Name/X-App-Version; one log line per request (handlers.go
 * httpLog): `2006/01/02 15:04:05 <host> <remote addr> "<method> <path> <proto>" <status> <bytes> "<user agent>" <duration>`.
 *
 * whoami: `--port` (or WHOAMI_PORT_NUMBER, default 80), `--name` (or WHOAMI_NAME); answers with
 * its hostname, its IP addresses, the client's address and the request as received
 * (http.Request.Write); it logs nothing per request unless `--verbose`.
 */
import { createHash } from '../../util/node-crypto.ts';
import type { Container } from '../../api/types.ts';
import { bytes, header, httpDate, nginxLogTime, type AppInstance, type HttpRequest, type HttpResponse, type ServeContext, type ServerApp } from './http.ts';

/** Go's flag package: `-name=value`, `--name=value`, `-name value`. */
export function goFlag(args: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(args[i]);
    if (!m || m[1] !== name) continue;
    if (m[2] !== undefined) value = m[2];
    else if (i + 1 < args.length) value = args[++i];
  }
  return value;
}

function argv(c: Container): string[] {
  return [...(c.command ?? []), ...(c.args ?? [])];
}

function listenPort(spec: string | undefined, fallback: number): number {
  if (!spec) return fallback;
  const m = /:(\d+)$/.exec(spec);
  return m ? Number(m[1]) : fallback;
}

function goHeaders(now: Date, own: [string, string][], body: string): [string, string][] {
  const sorted = [...own].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return [...sorted, ['Date', httpDate(now)], ['Content-Length', String(bytes(body))], ['Content-Type', 'text/plain; charset=utf-8']];
}

/** A plausible handler duration for Go's log (`21.458µs`). */
function goDuration(x: ServeContext): string {
  return `${10 + x.net.rng.int(40)}.${String(x.net.rng.int(1000)).padStart(3, '0')}µs`;
}

export const httpEchoApp: ServerApp = {
  listeners: (app) => [{ port: listenPort(goFlag(argv(app.container), 'listen'), 5678), protocol: 'TCP' }],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const args = argv(x.app.container);
    const text = goFlag(args, 'text') ?? '';
    const status = Number(goFlag(args, 'status-code') ?? '200') || 200;
    const body = `${text}\n`;
    return {
      status,
      reason: status === 200 ? 'OK' : 'Status',
      headers: goHeaders(x.net.now, [
        ['X-App-Name', 'http-echo'],
        ['X-App-Version', x.app.image.serverVersion ?? '1.0.0'],
      ], body),
      body: req.method === 'HEAD' ? '' : body,
    };
  },
  accessLog(req, res, x) {
    const path = req.target.split('?')[0];
    const ua = header(req.headers, 'User-Agent') ?? '';
    return `${nginxLogTime(x.net.now)} ${header(req.headers, 'Host') ?? ''} ${req.remoteAddr}:${req.remotePort} "${req.method} ${path} HTTP/1.1" ${res.status} ${bytes(res.body)} "${ua}" ${goDuration(x)}\n`;
  },
  startupLog(app, now) {
    const listen = goFlag(argv(app.container), 'listen') ?? ':5678';
    return `${nginxLogTime(now)} [INFO] server is listening on ${listen}\n`;
  },
};

function whoamiPort(app: AppInstance): number {
  const flag = goFlag(argv(app.container), 'port');
  const n = Number(flag ?? app.env.get('WHOAMI_PORT_NUMBER') ?? '80');
  return Number.isInteger(n) && n > 0 ? n : 80;
}

/** The pod's link-local IPv6 address (derived from its interface's MAC). */
function linkLocal(app: AppInstance): string {
  const h = createHash('sha256').update(`${app.pod.metadata.uid}`).digest('hex');
  return `fe80::${h.slice(0, 4).replace(/^0+/, '') || '0'}:${h.slice(4, 6)}ff:fe${h.slice(6, 8)}:${h.slice(8, 12).replace(/^0+/, '') || '0'}`;
}

/** http.Request.Write: request line, Host, User-Agent, the other headers sorted, CRLF line ends. */
function requestDump(req: HttpRequest): string {
  const host = header(req.headers, 'Host') ?? '';
  const ua = header(req.headers, 'User-Agent') ?? 'Go-http-client/1.1';
  const rest = req.headers
    .filter(([k]) => !['host', 'user-agent', 'content-length', 'transfer-encoding', 'trailer'].includes(k.toLowerCase()))
    .map(([k, v]): [string, string] => [k.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase()), v])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `${req.method} ${req.target} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${ua}\r\n${rest.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

export const whoamiApp: ServerApp = {
  listeners: (app) => [{ port: whoamiPort(app), protocol: 'TCP' }],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const name = goFlag(argv(x.app.container), 'name') ?? x.app.env.get('WHOAMI_NAME');
    let body = `Hostname: ${x.app.hostname}\n`;
    if (name) body += `Name: ${name}\n`;
    for (const ip of ['127.0.0.1', '::1', x.app.podIP, linkLocal(x.app)]) body += `IP: ${ip}\n`;
    body += `RemoteAddr: ${req.remoteAddr}:${req.remotePort}\n`;
    body += requestDump(req);
    return { status: 200, reason: 'OK', headers: goHeaders(x.net.now, [], body), body: req.method === 'HEAD' ? '' : body };
  },
  startupLog: (app, now) => `${nginxLogTime(now)} Starting up on port ${whoamiPort(app)}\n`,
};

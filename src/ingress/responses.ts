/**
 * What ingress-nginx (v1.12, default configuration) puts on the wire besides the backend's own
 * answer: its error responses, the request headers it adds when proxying to a pod, and its access
 * log line (rootfs/etc/nginx/template/nginx.tmpl, internal/ingress/controller/config/config.go).
 *
 * ingress-nginx runs nginx with `server_tokens off` and `more_clear_headers Server`, so its
 * responses carry no Server header and nginx's built-in error pages end in `<center>nginx</center>`
 * (no version). The pages use CRLF line ends, as nginx's ngx_http_special_response.c writes them.
 */

export interface HttpResponse {
  status: number;
  reason: string;
  /** In the order nginx sends them. */
  headers: [string, string][];
  body: string;
}

/** nginx's built-in error page for a status (ngx_http_error_pages + ngx_http_error_tail). */
function errorPage(status: number, reason: string, date: Date): HttpResponse {
  const title = `${status} ${reason}`;
  const body =
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return {
    status,
    reason,
    headers: [
      ['Date', date.toUTCString()],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Connection', 'keep-alive'],
    ],
    body,
  };
}

/**
 * No Ingress rule matches (and no defaultBackend): the controller's built-in default backend
 * (`return 404;` on its internal port 8181), 146 bytes.
 */
export function defaultBackend404(date: Date): HttpResponse {
  return errorPage(404, 'Not Found', date);
}

/**
 * A rule matches but its Service has no ready endpoint for the port (or the Service or the port
 * does not exist): the Lua balancer finds no peer, 190 bytes.
 */
export function serviceUnavailable503(date: Date): HttpResponse {
  return errorPage(503, 'Service Temporarily Unavailable', date);
}

export interface ProxiedRequest {
  /** The Host header as the client sent it (ingress-nginx's $best_http_host). */
  host: string;
  /** The client address nginx sees ($remote_addr: after kube-proxy's SNAT, if any). */
  clientIP: string;
  /** The port the request reached the controller pod on ($server_port; 80 for http). */
  serverPort: number;
  /** $request_id: 32 hex digits, unless the client sent X-Request-ID. */
  requestId: string;
  /** The client's own headers, passed on after ingress-nginx's (hop-by-hop ones dropped). */
  clientHeaders?: [string, string][];
}

const REPLACED = new Set(['host', 'x-request-id', 'x-real-ip', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'x-forwarded-scheme', 'x-scheme', 'x-original-forwarded-for', 'proxy', 'connection', 'upgrade']);

/**
 * The headers of the request ingress-nginx sends to the backend pod (its proxy_set_header list,
 * then the client's other headers). A client X-Forwarded-For is kept as X-Original-Forwarded-For
 * and replaced by the client address (use-forwarded-headers is off by default).
 */
export function upstreamRequestHeaders(req: ProxiedRequest): [string, string][] {
  const client = req.clientHeaders ?? [];
  const get = (name: string) => client.find(([k]) => k.toLowerCase() === name)?.[1];
  const headers: [string, string][] = [
    ['Host', req.host],
    ['X-Request-ID', get('x-request-id') ?? req.requestId],
    ['X-Real-IP', req.clientIP],
    ['X-Forwarded-For', req.clientIP],
    ['X-Forwarded-Host', req.host],
    ['X-Forwarded-Port', String(req.serverPort)],
    ['X-Forwarded-Proto', 'http'],
    ['X-Forwarded-Scheme', 'http'],
    ['X-Scheme', 'http'],
  ];
  const original = get('x-forwarded-for');
  if (original !== undefined) headers.push(['X-Original-Forwarded-For', original]);
  for (const [k, v] of client) if (!REPLACED.has(k.toLowerCase())) headers.push([k, v]);
  return headers;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx $time_local in UTC: `21/Nov/2026:10:00:00 +0000`. */
function timeLocal(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface AccessLogEntry {
  clientIP: string;
  time: Date;
  method: string;
  /** The request URI as the client sent it. */
  uri: string;
  status: number;
  bodyBytes: number;
  referer?: string;
  userAgent?: string;
  /** Bytes of the client's request line and headers ($request_length). */
  requestLength: number;
  /** `<ns>-<service>-<port>` (upstreamName), or `upstream-default-backend`. */
  upstream: string;
  /** `ip:port` of the pod that answered; undefined when no upstream was contacted. */
  upstreamAddr?: string;
  upstreamStatus?: number;
  upstreamBytes?: number;
  requestId: string;
}

/**
 * One line of the controller's access log in its `upstreaminfo` format, as `kubectl logs` of a
 * controller pod shows it (request and upstream times are 0.000: nothing takes time here).
 */
export function ingressAccessLogLine(e: AccessLogEntry): string {
  const dash = (v: string | number | undefined) => (v === undefined || v === '' ? '-' : String(v));
  return (
    `${e.clientIP} - - [${timeLocal(e.time)}] "${e.method} ${e.uri} HTTP/1.1" ${e.status} ${e.bodyBytes} ` +
    `"${dash(e.referer)}" "${dash(e.userAgent)}" ${e.requestLength} 0.000 [${e.upstream}] [] ` +
    `${dash(e.upstreamAddr)} ${dash(e.upstreamBytes)} ${e.upstreamAddr ? '0.000' : '-'} ${dash(e.upstreamStatus)} ${e.requestId}\n`
  );
}

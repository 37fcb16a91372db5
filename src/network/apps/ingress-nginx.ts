/**
 * The ingress-nginx controller's nginx (port 80; 443 with its self-signed "Kubernetes Ingress
 * Controller Fake Certificate"; /healthz on 10254). Each request is routed as the generated
 * nginx.conf would (src/ingress/route.ts), proxied straight to one of the backend Service's ready
 * endpoints (round robin in ingress-nginx; kfake draws at random), and logged in the controller's
 * `upstreaminfo` format. No rule: the default backend's 404; no endpoint: 503; the pod refusing
 * the connection: 502.
 */
import { backendEndpoints, routeIngress, upstreamName } from '../../ingress/route.ts';
import { defaultBackend404, ingressAccessLogLine, serviceUnavailable503, upstreamRequestHeaders } from '../../ingress/responses.ts';
import { randomHex } from '../../util/random.ts';
import { nginxErrorPage } from './nginx.ts';
import { bytes, header, httpDate, type HttpRequest, type HttpResponse, type ServeContext, type ServerApp } from './http.ts';

/** Response headers nginx does not pass on from the upstream (or sets itself). */
const HIDDEN = new Set(['server', 'date', 'connection', 'keep-alive', 'content-length', 'content-type', 'transfer-encoding']);

function relay(now: Date, upstream: HttpResponse): HttpResponse {
  const type = header(upstream.headers, 'Content-Type');
  return {
    status: upstream.status,
    reason: upstream.reason,
    headers: [
      ['Date', httpDate(now)],
      ...(type !== undefined ? [['Content-Type', type] as [string, string]] : []),
      ['Content-Length', String(bytes(upstream.body))],
      ['Connection', 'keep-alive'],
      ...upstream.headers.filter(([k]) => !HIDDEN.has(k.toLowerCase())),
    ],
    body: upstream.body,
  };
}

function gatewayError(now: Date, status: number, reason: string): HttpResponse {
  const body = nginxErrorPage(status, reason, 'nginx');
  return {
    status,
    reason,
    headers: [
      ['Date', httpDate(now)],
      ['Content-Type', 'text/html'],
      ['Content-Length', String(bytes(body))],
      ['Connection', 'keep-alive'],
    ],
    body,
  };
}

/** $request_length: the request line and headers as received. */
function requestLength(req: HttpRequest): number {
  return bytes(`${req.method} ${req.target} HTTP/1.1\r\n${req.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`) + bytes(req.body);
}

interface Served {
  response: HttpResponse;
  upstream: string;
  upstreamAddr?: string;
  upstreamStatus?: number;
  requestId: string;
}

const served = new WeakMap<HttpRequest, Served>();

export const ingressNginxApp: ServerApp = {
  listeners: () => [
    { port: 80, protocol: 'TCP' },
    { port: 443, protocol: 'TCP', tls: true },
    { port: 10254, protocol: 'TCP' },
  ],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const now = x.net.now;
    if (req.localPort === 10254) {
      return { status: 200, reason: 'OK', headers: [['Date', httpDate(now)], ['Content-Length', '2'], ['Content-Type', 'text/plain; charset=utf-8']], body: 'ok' };
    }
    const requestId = randomHex(x.net.rng, 32);
    const host = header(req.headers, 'Host') ?? '';
    const decision = routeIngress(x.net.state, host, req.target);
    const done = (s: Served): HttpResponse => {
      served.set(req, s);
      return req.method === 'HEAD' ? { ...s.response, body: '' } : s.response;
    };
    if (decision.kind === 'default-backend-404') {
      x.trace?.add('ingress', `no Ingress rule of the controller matches host "${host}" and path ${req.target}: the default backend answers 404`);
      const response = defaultBackend404(now);
      return done({ response, upstream: 'upstream-default-backend', upstreamAddr: '127.0.0.1:8181', upstreamStatus: 404, requestId });
    }
    const route = decision.route;
    const name = upstreamName(route);
    const eps = backendEndpoints(x.net.state, route);
    x.trace?.add('ingress', `Ingress ${route.ingress.metadata.namespace}/${route.ingress.metadata.name} sends host "${host}" ${req.target} to Service ${route.namespace}/${route.service} port ${route.port}${route.path !== req.target ? `, rewritten to ${route.path}` : ''}`, [
      eps.length ? `endpoints: ${eps.map((e) => `${e.ip}:${e.port}${e.pod ? ` (pod ${e.pod.namespace}/${e.pod.name})` : ''}`).join(', ')}` : 'endpoints: none',
    ]);
    if (eps.length === 0) {
      x.trace?.add('fail', `the backend Service has no ready endpoint: ingress-nginx answers 503`);
      return done({ response: serviceUnavailable503(now), upstream: name, requestId });
    }
    const ep = eps[x.net.rng.int(eps.length)];
    x.trace?.add('ingress', `ingress-nginx proxies to ${ep.ip}:${ep.port} directly (not through the Service's cluster IP)`);
    const result = x.forward(
      { ip: ep.ip, port: ep.port },
      {
        method: req.method,
        target: route.path,
        headers: upstreamRequestHeaders({ host, clientIP: req.remoteAddr, serverPort: req.localPort, requestId, clientHeaders: req.headers }),
        body: req.body,
      },
    );
    if (!result.ok) {
      const response = result.error === 'refused' ? gatewayError(now, 502, 'Bad Gateway') : gatewayError(now, 504, 'Gateway Time-out');
      return done({ response, upstream: name, upstreamAddr: `${ep.ip}:${ep.port}`, upstreamStatus: response.status, requestId });
    }
    const response = result.response.status === 0 ? gatewayError(now, 502, 'Bad Gateway') : relay(now, result.response);
    return done({ response, upstream: name, upstreamAddr: `${ep.ip}:${ep.port}`, upstreamStatus: result.response.status || 502, requestId });
  },
  accessLog(req, res, x) {
    const s = served.get(req);
    if (!s) return undefined;
    return ingressAccessLogLine({
      clientIP: req.remoteAddr,
      time: x.net.now,
      method: req.method,
      uri: req.target,
      status: res.status,
      bodyBytes: req.method === 'HEAD' ? 0 : bytes(res.body),
      referer: header(req.headers, 'Referer'),
      userAgent: header(req.headers, 'User-Agent'),
      requestLength: requestLength(req),
      upstream: s.upstream,
      upstreamAddr: s.upstreamAddr,
      upstreamStatus: s.upstreamStatus,
      upstreamBytes: s.upstreamAddr ? bytes(s.response.body) : undefined,
      requestId: s.requestId,
    });
  },
};

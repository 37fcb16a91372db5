/**
 * Servers of the cluster itself, and the fallback for unknown images.
 *
 * - CoreDNS: DNS on 53/UDP and 53/TCP (answered by src/network/dns/coredns.ts), `/health` on
 *   8080, `/ready` on 8181, metrics on 9153. An HTTP request to port 53 is not DNS: CoreDNS
 *   closes the connection without a reply.
 * - kube-apiserver: HTTPS on 6443 (the `kubernetes` Service's endpoint). Anonymous requests may
 *   read /version, /healthz, /livez and /readyz (the system:public-info-viewer role); anything
 *   else is 403 for `system:anonymous`. The apiserver pretty-prints JSON for curl and wget (their
 *   User-Agent). Plain HTTP to it gets Go's `Client sent an HTTP request to an HTTPS server.`
 * - Unknown images: a server that accepts connections on the container's declared TCP ports and
 *   says, in its body, that kfake does not know what the image really answers.
 */
import { normalizeImage } from '../../runtime/images.ts';
import { randomUID } from '../../util/random.ts';
import { bytes, header, httpDate, type AppInstance, type HttpRequest, type HttpResponse, type ServeContext, type ServerApp } from './http.ts';

function plain(now: Date, status: number, reason: string, body: string): HttpResponse {
  return {
    status,
    reason,
    headers: [
      ['Date', httpDate(now)],
      ['Content-Length', String(bytes(body))],
      ['Content-Type', 'text/plain; charset=utf-8'],
    ],
    body,
  };
}

export const coreDnsApp: ServerApp = {
  listeners: () => [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
    { port: 8080, protocol: 'TCP' },
    { port: 8181, protocol: 'TCP' },
    { port: 9153, protocol: 'TCP' },
  ],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const path = req.target.split('?')[0];
    if (req.localPort === 53) return { status: 0, reason: '', headers: [], body: '' };
    if (req.localPort === 8080 && path === '/health') return plain(x.net.now, 200, 'OK', 'OK');
    if (req.localPort === 8181 && path === '/ready') return plain(x.net.now, 200, 'OK', 'OK');
    if (req.localPort === 9153 && path === '/metrics') {
      return plain(x.net.now, 200, 'OK', '# HELP coredns_build_info A metric with a constant \'1\' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="go1.21.11",revision="a6338e9",version="1.11.3"} 1\n');
    }
    return plain(x.net.now, 404, 'Not Found', '404 page not found\n');
  },
  startupLog(app, now) {
    void now;
    const sha = Buffer.from(`${app.pod.metadata.uid}`).toString('hex').padEnd(128, '0').slice(0, 128);
    return `.:53\n[INFO] plugin/reload: Running configuration SHA512 = ${sha}\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n`;
  },
};

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

function apiJson(req: HttpRequest, value: unknown): string {
  const ua = header(req.headers, 'User-Agent') ?? '';
  const pretty = /^(curl|wget)/i.test(ua) || /[?&]pretty=(true|1)/.test(req.target);
  return pretty ? `${JSON.stringify(value, null, 2)}\n` : `${JSON.stringify(value)}\n`;
}

export const apiServerApp: ServerApp = {
  listeners: () => [{ port: 6443, protocol: 'TCP', tls: true }],
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const now = x.net.now;
    if (req.scheme !== 'https') {
      return { status: 400, reason: 'Bad Request', headers: [], body: 'Client sent an HTTP request to an HTTPS server.\n' };
    }
    const path = req.target.split('?')[0];
    const uid = () => randomUID(x.net.rng);
    const common: [string, string][] = [
      ['Audit-Id', uid()],
      ['Cache-Control', 'no-cache, private'],
    ];
    const tail = (body: string, type: string): [string, string][] => [
      ['Content-Type', type],
      ['X-Content-Type-Options', 'nosniff'],
      ['X-Kubernetes-Pf-Flowschema-Uid', uid()],
      ['X-Kubernetes-Pf-Prioritylevel-Uid', uid()],
      ['Date', httpDate(now)],
      ['Content-Length', String(bytes(body))],
    ];
    if (PUBLIC_PATHS.has(path)) {
      if (path === '/version') {
        const body = apiJson(req, {
          major: '1',
          minor: '32',
          gitVersion: x.net.state.meta.config.kubernetesVersion,
          gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
          gitTreeState: 'clean',
          buildDate: '2025-04-22T16:02:27Z',
          goVersion: 'go1.23.6',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
        return { status: 200, reason: 'OK', headers: [...common, ...tail(body, 'application/json')], body };
      }
      return { status: 200, reason: 'OK', headers: [...common, ...tail('ok', 'text/plain; charset=utf-8')], body: 'ok' };
    }
    const body = apiJson(req, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `forbidden: User "system:anonymous" cannot ${req.method === 'GET' ? 'get' : req.method.toLowerCase()} path "${path}"`,
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
    return { status: 403, reason: 'Forbidden', headers: [...common, ...tail(body, 'application/json')], body };
  },
};

function declaredPorts(app: AppInstance): number[] {
  return (app.container.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
}

export const genericApp: ServerApp = {
  listeners: (app) => declaredPorts(app).map((port) => ({ port, protocol: 'TCP' as const })),
  serve(req: HttpRequest, x: ServeContext): HttpResponse {
    const image = normalizeImage(x.app.container.image ?? '');
    const body =
      `kfake does not know what ${image} answers; this stands in for it: ` +
      `pod ${x.app.pod.metadata.name}, container ${x.app.container.name}, port ${req.localPort}\n`;
    return plain(x.net.now, 200, 'OK', req.method === 'HEAD' ? '' : body);
  },
};

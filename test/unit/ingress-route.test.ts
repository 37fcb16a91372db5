/**
 * Routing through ingress-nginx: which backend a Host and path reach. Expected values come from
 * the Ingress path-matching examples of the Kubernetes documentation
 * (kubernetes/website content/en/docs/concepts/services-networking/ingress.md, "Examples" table),
 * ingress-nginx's rewrite documentation (docs/examples/rewrite/README.md) and nginx's server_name
 * and location rules as ingress-nginx configures them.
 */
import { describe, expect, it } from 'vitest';
import type { Ingress, KObject, Pod, Service } from '../../src/api/types.ts';
import { createObject, type ApiContext } from '../../src/apiserver/api.ts';
import { newClusterState } from '../../src/cluster/bootstrap.ts';
import { EventRecorder } from '../../src/controllers/events.ts';
import { reconcile } from '../../src/controllers/reconcile.ts';
import '../../src/controllers/ingress-nginx.ts';
import { installIngressNginx } from '../../src/ingress/install.ts';
import { backendEndpoints, ingressControllerAddresses, routeIngress, upstreamName } from '../../src/ingress/route.ts';
import { DEFAULT_CONFIG } from '../../src/store/meta.ts';
import type { ClusterState } from '../../src/store/state.ts';
import { rfc3339 } from '../../src/util/duration.ts';
import { seededRandom } from '../../src/util/random.ts';

const NOW = new Date('2026-11-21T10:00:00Z');

/** A cluster (in process) with ingress-nginx installed, and a way to add objects to it. */
function cluster(opts: { ingress?: boolean } = {}): { state: ClusterState; add: (...objs: KObject[]) => void } {
  const rng = seededRandom('ingress-route');
  const state = newClusterState(structuredClone(DEFAULT_CONFIG), NOW, rng);
  const api: ApiContext = { state, now: NOW, rng };
  const settle = () => reconcile({ state, now: NOW, nowText: rfc3339(NOW), rng, config: state.meta.config, events: new EventRecorder(state, NOW, rng) });
  settle();
  if (opts.ingress !== false) {
    installIngressNginx(api, { loadBalancer: false });
    settle();
  }
  return {
    state,
    add: (...objs) => {
      for (const o of objs) createObject(api, o);
      settle();
    },
  };
}

type PathSpec = [path: string, pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific', service: string];

function ingress(name: string, rules: { host?: string; paths: PathSpec[] }[], extra: { annotations?: Record<string, string>; defaultBackend?: string; className?: string } = {}): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      ...(extra.className ? { ingressClassName: extra.className } : {}),
      ...(extra.defaultBackend ? { defaultBackend: { service: { name: extra.defaultBackend, port: { number: 80 } } } } : {}),
      ...(rules.length
        ? {
            rules: rules.map((r) => ({
              ...(r.host ? { host: r.host } : {}),
              http: { paths: r.paths.map(([path, pathType, service]) => ({ path, pathType, backend: { service: { name: service, port: { number: 80 } } } })) },
            })),
          }
        : {}),
    },
  };
}

/** The Service a request reaches, `404`, or `<service> <uri>` with `uri: true`. */
function reach(state: ClusterState, host: string, path: string, uri = false): string {
  const d = routeIngress(state, host, path);
  if (d.kind === 'default-backend-404') return '404';
  return uri ? `${d.route.service} ${d.route.path}` : d.route.service;
}

describe('path matching (Kubernetes documentation examples)', () => {
  // The documentation's table: each row is an Ingress path, a request path and whether it matches.
  it.each<[PathSpec[], string, string]>([
    [[['/', 'Prefix', 'a']], '/anything', 'a'],
    [[['/foo', 'Exact', 'a']], '/foo', 'a'],
    [[['/foo', 'Exact', 'a']], '/bar', '404'],
    [[['/foo', 'Exact', 'a']], '/foo/', '404'],
    [[['/foo/', 'Exact', 'a']], '/foo', '404'],
    [[['/foo', 'Prefix', 'a']], '/foo', 'a'],
    [[['/foo', 'Prefix', 'a']], '/foo/', 'a'],
    [[['/foo/', 'Prefix', 'a']], '/foo', 'a'],
    [[['/foo/', 'Prefix', 'a']], '/foo/', 'a'],
    [[['/aaa/bb', 'Prefix', 'a']], '/aaa/bbb', '404'],
    [[['/aaa/bbb', 'Prefix', 'a']], '/aaa/bbb', 'a'],
    [[['/aaa/bbb/', 'Prefix', 'a']], '/aaa/bbb', 'a'],
    [[['/aaa/bbb', 'Prefix', 'a']], '/aaa/bbb/', 'a'],
    [[['/aaa/bbb', 'Prefix', 'a']], '/aaa/bbb/ccc', 'a'],
    [[['/aaa/bbb', 'Prefix', 'a']], '/aaa/bbbxyz', '404'],
    [[['/', 'Prefix', 'a'], ['/aaa', 'Prefix', 'b']], '/aaa/ccc', 'b'],
    [[['/aaa', 'Prefix', 'a'], ['/', 'Prefix', 'b']], '/aaa/ccc', 'a'],
    [[['/aaa', 'Prefix', 'a'], ['/', 'Prefix', 'b']], '/ccc', 'b'],
    [[['/aaa', 'Prefix', 'a']], '/ccc', '404'],
    [[['/foo', 'Prefix', 'a'], ['/foo', 'Exact', 'b']], '/foo', 'b'],
  ])('%j and a request for %s reach %s', (paths, request, expected) => {
    const { state, add } = cluster();
    add(ingress('web', [{ paths }]));
    expect(reach(state, 'example.com', request)).toBe(expected);
  });

  it('takes an ImplementationSpecific path as a plain nginx prefix', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ paths: [['/foo', 'ImplementationSpecific', 'a']] }]));
    expect(reach(state, 'x', '/foobar')).toBe('a');
    expect(reach(state, 'x', '/foo/bar')).toBe('a');
    expect(reach(state, 'x', '/fo')).toBe('404');
  });

  it('prefers the longest matching path', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ paths: [['/', 'Prefix', 'root'], ['/api', 'Prefix', 'api'], ['/api/v1', 'Prefix', 'v1']] }]));
    expect(reach(state, 'x', '/')).toBe('root');
    expect(reach(state, 'x', '/api')).toBe('api');
    expect(reach(state, 'x', '/api/v2/users')).toBe('api');
    expect(reach(state, 'x', '/api/v1/users')).toBe('v1');
    expect(reach(state, 'x', '/apix')).toBe('root');
  });

  it('matches on the path only, not the query string', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ paths: [['/search', 'Exact', 'a']] }]));
    expect(reach(state, 'x', '/search?q=1', true)).toBe('a /search?q=1');
  });
});

describe('hosts', () => {
  it('routes by Host, ignoring case and the port; other hosts get the 404', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ host: 'foo.bar.com', paths: [['/', 'Prefix', 'foo']] }, { host: 'bar.foo.com', paths: [['/', 'Prefix', 'bar']] }]));
    expect(reach(state, 'foo.bar.com', '/')).toBe('foo');
    expect(reach(state, 'BAR.foo.com:30080', '/x')).toBe('bar');
    expect(reach(state, 'other.com', '/')).toBe('404');
    expect(reach(state, '172.18.0.3:30080', '/')).toBe('404');
  });

  it('matches a wildcard host on exactly one more label, and prefers an exact host', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ host: '*.foo.com', paths: [['/', 'Prefix', 'wild']] }, { host: 'www.foo.com', paths: [['/', 'Prefix', 'www']] }]));
    expect(reach(state, 'bar.foo.com', '/')).toBe('wild');
    expect(reach(state, 'www.foo.com', '/')).toBe('www');
    expect(reach(state, 'baz.bar.foo.com', '/')).toBe('404');
    expect(reach(state, 'foo.com', '/')).toBe('404');
  });

  it('uses rules without a host for every host that has no rules of its own', () => {
    const { state, add } = cluster();
    add(ingress('any', [{ paths: [['/shop', 'Prefix', 'shop']] }]), ingress('named', [{ host: 'foo.com', paths: [['/blog', 'Prefix', 'blog']] }]));
    expect(reach(state, 'anything.example', '/shop')).toBe('shop');
    expect(reach(state, 'foo.com', '/blog')).toBe('blog');
    // nginx picks the server by name first: foo.com's server has no /shop
    expect(reach(state, 'foo.com', '/shop')).toBe('404');
  });
});

describe('default backends', () => {
  it('sends everything to an Ingress that has only a defaultBackend', () => {
    const { state, add } = cluster();
    add(ingress('catch-all', [], { defaultBackend: 'fallback' }));
    expect(reach(state, 'x', '/whatever')).toBe('fallback');
  });

  it("uses an Ingress's defaultBackend for unmatched paths of its hosts", () => {
    const { state, add } = cluster();
    add(ingress('web', [{ host: 'foo.com', paths: [['/api', 'Prefix', 'api']] }], { defaultBackend: 'fallback' }));
    expect(reach(state, 'foo.com', '/api/x')).toBe('api');
    expect(reach(state, 'foo.com', '/other')).toBe('fallback');
    expect(reach(state, 'bar.com', '/other')).toBe('404');
  });

  it('answers 404 when nothing matches', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ paths: [['/app', 'Prefix', 'app']] }]));
    expect(routeIngress(state, 'x', '/')).toEqual({ kind: 'default-backend-404' });
  });
});

describe('rewrite-target', () => {
  it('replaces the whole URI with the target (the documentation minimal-ingress)', () => {
    const { state, add } = cluster();
    add(ingress('minimal-ingress', [{ paths: [['/testpath', 'Prefix', 'test']] }], { annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' } }));
    expect(reach(state, 'x', '/testpath', true)).toBe('test /');
    expect(reach(state, 'x', '/testpath/foo/bar?a=1', true)).toBe('test /?a=1');
    // with rewrite-target every location of the server is a regex anchored at the start
    expect(reach(state, 'x', '/testpathology', true)).toBe('test /');
    expect(reach(state, 'x', '/other')).toBe('404');
  });

  it('substitutes capture groups (ingress-nginx rewrite example)', () => {
    const { state, add } = cluster();
    add(
      ingress('rewrite', [{ host: 'rewrite.bar.com', paths: [['/something(/|$)(.*)', 'ImplementationSpecific', 'http-svc']] }], {
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true', 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
      }),
    );
    // docs/examples/rewrite: /something -> /, /something/ -> /, /something/new -> /new
    expect(reach(state, 'rewrite.bar.com', '/something', true)).toBe('http-svc /');
    expect(reach(state, 'rewrite.bar.com', '/something/', true)).toBe('http-svc /');
    expect(reach(state, 'rewrite.bar.com', '/something/new', true)).toBe('http-svc /new');
    expect(reach(state, 'rewrite.bar.com', '/SOMETHING/new', true)).toBe('http-svc /new');
  });

  it('passes the URI unchanged without the annotation', () => {
    const { state, add } = cluster();
    add(ingress('web', [{ paths: [['/app', 'Prefix', 'app']] }]));
    expect(reach(state, 'x', '/app/page?x=1', true)).toBe('app /app/page?x=1');
  });
});

describe('which Ingresses ingress-nginx serves', () => {
  it('serves the default class (given at creation) and ignores other classes', () => {
    const { state, add } = cluster();
    add(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'traefik' },
        spec: { controller: 'traefik.io/ingress-controller' },
      } as KObject,
      ingress('mine', [{ paths: [['/a', 'Prefix', 'a']] }]),
      ingress('theirs', [{ paths: [['/b', 'Prefix', 'b']] }], { className: 'traefik' }),
    );
    expect(state.get<Ingress>('ingresses', 'default', 'mine')?.spec?.ingressClassName).toBe('nginx');
    expect(reach(state, 'x', '/a')).toBe('a');
    expect(reach(state, 'x', '/b')).toBe('404');
  });

  it('routes nothing when no ingress controller runs', () => {
    const { state, add } = cluster({ ingress: false });
    add(ingress('web', [{ paths: [['/', 'Prefix', 'a']] }]));
    expect(reach(state, 'x', '/')).toBe('404');
    expect(ingressControllerAddresses(state)).toEqual([]);
  });

  it('lets the older Ingress keep a host and path that two claim', () => {
    const { state, add } = cluster();
    add(ingress('first', [{ host: 'foo.com', paths: [['/', 'Prefix', 'one']] }]));
    const later = ingress('second', [{ host: 'foo.com', paths: [['/', 'Prefix', 'two'], ['/two', 'Prefix', 'two']] }]);
    later.metadata.creationTimestamp = '2026-11-21T10:05:00Z';
    add(later);
    expect(reach(state, 'foo.com', '/')).toBe('one');
    expect(reach(state, 'foo.com', '/two')).toBe('two');
  });
});

describe('backends and addresses', () => {
  it("lists the ready endpoints of the backend's Service port, by number or by name", () => {
    const { state, add } = cluster();
    add(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
      } as KObject,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
      } as KObject,
      ingress('web', [{ paths: [['/', 'Prefix', 'web']] }]),
    );
    const d = routeIngress(state, 'x', '/');
    expect(d.kind).toBe('route');
    if (d.kind !== 'route') return;
    expect(upstreamName(d.route)).toBe('default-web-80');
    const pod = state.get<Pod>('pods', 'default', 'web-1')!;
    expect(backendEndpoints(state, d.route)).toEqual([{ ip: pod.status!.podIP, port: 8080, pod: { namespace: 'default', name: 'web-1' }, nodeName: pod.spec.nodeName }]);
    expect(backendEndpoints(state, { ...d.route, port: 'web' })).toHaveLength(1);
    expect(backendEndpoints(state, { ...d.route, port: 81 })).toEqual([]);
    expect(backendEndpoints(state, { ...d.route, service: 'missing' })).toEqual([]);
  });

  it('reaches the controller on its pod, cluster IP and every node port', () => {
    const { state } = cluster();
    const addrs = ingressControllerAddresses(state);
    const svc = state.get<Service>('services', 'ingress-nginx', 'ingress-nginx-controller')!;
    expect(addrs.filter((a) => a.via === 'node-port')).toEqual(
      ['172.18.0.2', '172.18.0.3', '172.18.0.4'].map((ip) => ({ ip, port: svc.spec.ports![0].nodePort, via: 'node-port' })),
    );
    expect(addrs).toContainEqual({ ip: svc.spec.clusterIP, port: 80, via: 'cluster-ip' });
    expect(addrs.filter((a) => a.via === 'pod')).toHaveLength(1);
  });
});

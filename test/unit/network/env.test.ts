/**
 * Service-link variables (pkg/kubelet/envvars/envvars.go, kubelet_pods.go getServiceEnvVarMap)
 * and the container environment's layout.
 */
import { describe, expect, test } from 'vitest';
import type { Pod } from '../../../src/api/types.ts';
import { processEnv, serviceLinkEnv, withTerminal } from '../../../src/network/env.ts';
import { imageProfile } from '../../../src/network/images.ts';
import { pod, service, TestNet } from './cluster.ts';

/** The seed's `kubectl exec -it … -- env | grep -i kubernetes`, as a set. */
const KUBERNETES = [
  'KUBERNETES_PORT=tcp://10.96.0.1:443',
  'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
  'KUBERNETES_SERVICE_HOST=10.96.0.1',
  'KUBERNETES_SERVICE_PORT_HTTPS=443',
  'KUBERNETES_PORT_443_TCP_PORT=443',
  'KUBERNETES_SERVICE_PORT=443',
  'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
  'KUBERNETES_PORT_443_TCP_PROTO=tcp',
];

function vars(list: [string, string][]): string[] {
  return list.map(([k, v]) => `${k}=${v}`).sort();
}

describe('service links', () => {
  test('the kubernetes Service gives the seed\'s eight variables', () => {
    const t = new TestNet();
    const p = t.create(pod('x', 'nginx') as Pod);
    expect(vars(serviceLinkEnv(t.state, p))).toEqual([...KUBERNETES].sort());
  });

  test('every Service of the namespace with a cluster IP, named ports, dashes as underscores', () => {
    const t = new TestNet();
    t.create(service('redis-primary', { clusterIP: '10.96.0.50', ports: [{ name: 'redis', port: 6379 }, { name: 'metrics', port: 9121, protocol: 'UDP' }] }));
    t.create(service('headless', { clusterIP: 'None', ports: [{ port: 80 }] }));
    t.create(service('ext', { type: 'ExternalName', externalName: 'example.com' }));
    const p = t.create(pod('x', 'nginx') as Pod);
    const own = vars(serviceLinkEnv(t.state, p)).filter((v) => !v.startsWith('KUBERNETES_'));
    expect(own).toEqual(
      [
        'REDIS_PRIMARY_SERVICE_HOST=10.96.0.50',
        'REDIS_PRIMARY_SERVICE_PORT=6379',
        'REDIS_PRIMARY_SERVICE_PORT_REDIS=6379',
        'REDIS_PRIMARY_SERVICE_PORT_METRICS=9121',
        'REDIS_PRIMARY_PORT=tcp://10.96.0.50:6379',
        'REDIS_PRIMARY_PORT_6379_TCP=tcp://10.96.0.50:6379',
        'REDIS_PRIMARY_PORT_6379_TCP_PROTO=tcp',
        'REDIS_PRIMARY_PORT_6379_TCP_PORT=6379',
        'REDIS_PRIMARY_PORT_6379_TCP_ADDR=10.96.0.50',
        'REDIS_PRIMARY_PORT_9121_UDP=udp://10.96.0.50:9121',
        'REDIS_PRIMARY_PORT_9121_UDP_PROTO=udp',
        'REDIS_PRIMARY_PORT_9121_UDP_PORT=9121',
        'REDIS_PRIMARY_PORT_9121_UDP_ADDR=10.96.0.50',
      ].sort(),
    );
  });

  test('enableServiceLinks: false keeps only the kubernetes Service', () => {
    const t = new TestNet();
    t.create(service('web', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }));
    const p = t.create(pod('x', 'nginx', { enableServiceLinks: false }) as Pod);
    expect(vars(serviceLinkEnv(t.state, p))).toEqual([...KUBERNETES].sort());
  });

  test('the environment is the one of the start: a Service created later is not in it', () => {
    const t = new TestNet();
    t.create(pod('x', 'busybox', {}, { command: ['sleep', '3600'] }));
    t.create(service('later', { clusterIP: '10.96.0.51', ports: [{ port: 80 }] }));
    const out = t.run(t.podPlace('x'), 'env');
    expect(out.stdout()).not.toContain('LATER_');
    expect(out.stdout()).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
  });
});

describe('process environment', () => {
  test('PATH, HOSTNAME, the image ENV, the kubelet variables, then HOME', () => {
    const env = processEnv(imageProfile('nginx:1.27'), 'web-1', [['FOO', 'bar']]);
    expect(env.map(([k]) => k)).toEqual(['PATH', 'HOSTNAME', 'NGINX_VERSION', 'NJS_VERSION', 'NJS_RELEASE', 'PKG_RELEASE', 'DYNPKG_RELEASE', 'FOO', 'HOME']);
    expect(env.find(([k]) => k === 'HOME')![1]).toBe('/root');
  });

  test('an exec with a terminal adds TERM before HOME', () => {
    const env = withTerminal([['PATH', '/bin'], ['HOSTNAME', 'x'], ['HOME', '/root']]);
    expect(env).toEqual([['PATH', '/bin'], ['HOSTNAME', 'x'], ['TERM', 'xterm'], ['HOME', '/root']]);
  });

  test('$(VAR) references expand from earlier variables and service links; $$ is a literal $', () => {
    const t = new TestNet();
    t.create(
      pod('x', 'busybox', {}, {
        command: ['sleep', '3600'],
        env: [
          { name: 'A', value: 'one' },
          { name: 'B', value: '$(A)-$(KUBERNETES_SERVICE_HOST)-$$(A)-$(MISSING)' },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
      }),
    );
    const env = new Map(t.podPlace('x').env);
    expect(env.get('B')).toBe('one-10.96.0.1-$(A)-$(MISSING)');
    expect(env.get('NODE')).toBe(t.pod('x').spec.nodeName);
  });
});

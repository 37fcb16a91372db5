/**
 * ingress-nginx end to end: `kfake cluster reset --ingress nginx` installs it; Ingresses of its
 * class get an ADDRESS and `Sync` events, as `get ing` and `describe ing` show them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

const at = (seconds: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');

const HOSTS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: hosts
spec:
  ingressClassName: nginx
  rules:
  - host: foo.bar.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: test
            port:
              number: 80
  - host: "*.example.com"
    http:
      paths:
      - path: /api
        pathType: Exact
        backend:
          service:
            name: missing
            port:
              name: http
`;

describe('kfake cluster reset --ingress nginx', () => {
  it('installs ingress-nginx and gives Ingresses the address of the node running it', async () => {
    const reset = c.sh('kfake cluster reset --ingress nginx');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('│ Ingress           │ ingress-nginx v1.12.1 (IngressClass nginx, the default class)       │');
    const text = c.transcript([
      'kfake get pods,svc -n ingress-nginx -o wide',
      'kfake get ingressclass',
      'kfake apply -f manifests/basics/my-app.yaml',
      'kfake apply -f manifests/basics/minimal-ingress.yaml',
      ['kfake apply -f -', { stdin: HOSTS }],
      ['kfake get ing', { now: at(45) }],
      ['kfake describe ing minimal-ingress', { now: at(45) }],
      ['kfake describe ing hosts', { now: at(45) }],
      ["kfake get ing minimal-ingress -o jsonpath={.spec.ingressClassName}{.status}", { now: at(45) }],
    ]);
    expect(text).toContain('Scheduled for sync');
    expect(text).toMatch(/minimal-ingress +nginx +\* +172\.18\.0\.\d +80 +45s/);
    await expect(text).toMatchFileSnapshot('../golden/ingress/nginx.txt');
  });

  it('publishes the load-balancer address when the cluster has a pool', async () => {
    c.sh('kfake cluster reset --ingress nginx --load-balancer-pool 172.18.255.200-172.18.255.250');
    const text = c.transcript([
      'kfake get svc -n ingress-nginx',
      'kfake describe svc ingress-nginx-controller -n ingress-nginx',
      'kfake apply -f manifests/basics/my-app.yaml',
      'kfake apply -f manifests/basics/minimal-ingress.yaml',
      ['kfake get ing', { now: at(10) }],
    ]);
    expect(text).toMatch(/minimal-ingress +nginx +\* +172\.18\.255\.200 +80/);
    await expect(text).toMatchFileSnapshot('../golden/ingress/nginx-load-balancer.txt');
  });

  it('leaves Ingresses without an address when no controller is installed', () => {
    c.sh('kfake apply -f manifests/basics/my-app.yaml');
    c.sh('kfake apply -f manifests/basics/minimal-ingress.yaml');
    const r = c.sh('kfake get ing', { now: at(5) });
    expect(r.stdout).toBe('NAME              CLASS    HOSTS   ADDRESS   PORTS   AGE\nminimal-ingress   <none>   *                 80      5s\n');
    expect(c.sh('kfake get events --field-selector involvedObject.kind=Ingress').stderr).toBe('No resources found in default namespace.\n');
  });

  it('refuses an unknown ingress controller, leaving the store as it was', () => {
    c.sh('kfake get ns');
    const before = c.storeBytes();
    const r = c.sh('kfake cluster reset --ingress traefik');
    expect(r).toEqual({ stdout: '', stderr: 'error: --ingress must be "nginx" or empty, not "traefik"\n', code: 1 });
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

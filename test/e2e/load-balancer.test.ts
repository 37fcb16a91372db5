/**
 * LoadBalancer Services end to end: pending without a load-balancer implementation (kubeadm, as
 * in the seed posts), and addresses from a pool (like MetalLB) with `kfake cluster reset
 * --load-balancer-pool`, as `get svc` and `describe svc` show them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

const at = (seconds: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');

const LB = (name: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: LoadBalancer
  selector:
    app: whms-deployment
  ports:
  - port: 80
    targetPort: 8080
${extra}`;

describe('without a load balancer (kubeadm)', () => {
  it('leaves EXTERNAL-IP <pending> with no events', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/whms/whms-deployment.yaml',
      'kfake apply -f manifests/whms/whms-loadbalancer.yaml',
      ['kfake get svc whms-loadbalancer', { now: at(30) }],
      ['kfake describe svc whms-loadbalancer', { now: at(30) }],
    ]);
    expect(text).toContain('<pending>');
    expect(text).not.toContain('LoadBalancer Ingress');
    await expect(text).toMatchFileSnapshot('../golden/load-balancer/pending.txt');
  });
});

describe('with an address pool', () => {
  it('assigns addresses in pool order, announces them, and reuses freed ones', async () => {
    c.sh('kfake cluster reset --load-balancer-pool 172.18.255.200-172.18.255.201');
    c.sh('kfake apply -f manifests/whms/whms-deployment.yaml');
    const text = c.transcript([
      ['kfake apply -f -', { stdin: LB('web') }],
      ['kfake apply -f -', { stdin: LB('api') }],
      ['kfake apply -f -', { stdin: LB('extra') }],
      ['kfake get svc', { now: at(20) }],
      ['kfake describe svc web', { now: at(20) }],
      ['kfake describe svc extra', { now: at(20) }],
      ['kfake delete svc web', { now: at(40) }],
      ['kfake get svc', { now: at(60) }],
      ['kfake describe svc extra', { now: at(60) }],
      ["kfake get svc extra -o jsonpath={.status}", { now: at(60) }],
    ]);
    expect(text).toContain('LoadBalancer Ingress:     172.18.255.200 (VIP)');
    expect(text).toContain('Failed to allocate IP for "default/extra": no available IPs');
    await expect(text).toMatchFileSnapshot('../golden/load-balancer/pool.txt');
  });

  it('honours a requested address and refuses one outside the pool', async () => {
    c.sh('kfake cluster reset --load-balancer-pool 192.168.10.0/24');
    const text = c.transcript([
      ['kfake apply -f -', { stdin: LB('pinned', '  loadBalancerIP: 192.168.10.42\n') }],
      ['kfake apply -f -', { stdin: LB('outside', '  loadBalancerIP: 10.0.0.1\n') }],
      ['kfake apply -f -', { stdin: LB('any') }],
      'kfake get svc',
      'kfake describe svc outside',
    ]);
    expect(text).toMatch(/pinned +LoadBalancer +\S+ +192\.168\.10\.42 /);
    // a CIDR pool starts at its first address
    expect(text).toMatch(/any +LoadBalancer +\S+ +192\.168\.10\.0 /);
    await expect(text).toMatchFileSnapshot('../golden/load-balancer/requested.txt');
  });

  it('rejects a pool that is neither a CIDR nor a range, leaving the store as it was', () => {
    c.sh('kfake get ns');
    const before = c.storeBytes();
    const r = c.sh('kfake cluster reset --load-balancer-pool 172.18.255.250-172.18.255.200');
    expect(r).toEqual({
      stdout: '',
      stderr: 'error: --load-balancer-pool must be a CIDR or a range like 172.18.255.200-172.18.255.250, not "172.18.255.250-172.18.255.200"\n',
      code: 1,
    });
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

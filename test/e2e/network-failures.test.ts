/**
 * How requests fail, end to end: a Service without endpoints refuses (kube-proxy's REJECT), a
 * port the Service does not have times out, an unknown name does not resolve, externalTraffic-
 * Policy Local drops traffic on a node without a local endpoint and keeps the client address on
 * one with it, and a headless Service without ready pods is NXDOMAIN. curl's and wget's
 * messages and exit codes are those of curl 8.11 / BusyBox wget 1.36.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, freshClusters, type SetupLine } from '../helpers/kfake.ts';

const fresh = freshClusters();
let c: TestCluster;
const setup = (...lines: SetupLine[]): TestCluster => (c = fresh(...lines));

const NOBODY = `apiVersion: v1
kind: Service
metadata:
  name: nobody
spec:
  selector:
    app: nobody
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  clusterIP: None
  selector:
    app: nobody
  ports:
  - port: 80
`;

const LOCAL = `apiVersion: v1
kind: Pod
metadata:
  name: echo
  labels:
    app: echo
spec:
  nodeName: kfake-worker
  containers:
  - name: echo
    image: amsy810/echo-nginx:v2.0
---
apiVersion: v1
kind: Service
metadata:
  name: echo-local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: echo
  ports:
  - port: 80
    nodePort: 30090
---
apiVersion: v1
kind: Service
metadata:
  name: echo-cluster
spec:
  type: NodePort
  selector:
    app: echo
  ports:
  - port: 80
    nodePort: 30091
`;

describe('requests that fail', () => {
  it('no endpoints, wrong port, unknown name', async () => {
    setup(['kfake apply -f -', NOBODY], 'kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-service.yaml', 'kfake run client --image=curlimages/curl --command -- sleep infinity', 'kfake run bb --image=busybox -- sleep 3600');
    const text = c.transcript([
      'kfake exec client -- curl -sS http://nobody',
      'kfake exec client -- curl http://nobody',
      'kfake exec client -- curl -sS -m 3 http://whms-service:8080',
      'kfake exec client -- curl -sS --connect-timeout 2 http://whms-service:8080',
      'kfake exec client -- curl -sS http://no-such-service',
      'kfake exec client -- curl -s http://whms-service.default.svc.cluster.local',
      'kfake exec client -- curl -s http://whms-service.default',
      'kfake exec client -- curl -sS http://whms-service.other-ns',
      'kfake exec bb -- wget -qO- http://nobody',
      'kfake exec bb -- wget -qO- -T 2 http://whms-service:8080',
      'kfake exec bb -- wget -qO- http://nowhere',
      'kfake exec bb -- nslookup lonely',
      'kfake exec bb -- nslookup lonely.default.svc.cluster.local',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/network/failures.txt');
  });

  it('externalTrafficPolicy Local: dropped on a node without a local endpoint, the client address kept on one with it', async () => {
    setup(['kfake apply -f -', LOCAL]);
    const text = c.transcript([
      'kfake get pods -o wide',
      'kfake outside -- curl -s http://172.18.0.3:30090',
      'kfake outside -- curl -sS -m 4 http://172.18.0.4:30090',
      'kfake outside -- curl -s http://172.18.0.4:30091',
      'kfake outside -- curl -s http://172.18.0.3:30091',
    ]);
    expect(text).toContain('ClientIP=172.18.0.1  XFF=');
    await expect(text).toMatchFileSnapshot('../golden/network/external-traffic-policy.txt');
  });
});

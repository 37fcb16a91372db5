/**
 * `kfake why endpoints`: why a Service has the endpoints it has, end to end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

const MISMATCH = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: web
---
apiVersion: v1
kind: Pod
metadata:
  name: typo
  labels:
    app: wbe
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - name: web
      containerPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: noport
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
---
apiVersion: v1
kind: Namespace
metadata:
  name: staging
---
apiVersion: v1
kind: Pod
metadata:
  name: web-staging
  namespace: staging
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - name: web
      containerPort: 80
`;

describe('kfake why endpoints', () => {
  it('shows the named port resolving to 80 and 81 (seed: named ports)', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/service-api/sample-named-port-pods.yaml',
      'kfake apply -f manifests/service-api/sample-named-port-service.yaml',
      'kfake why endpoints sample-named-port-service',
    ]);
    expect(text).toContain('"http" is 80 in this pod');
    expect(text).toContain('"http" is 81 in this pod');
    await expect(text).toMatchFileSnapshot('../golden/diagnose/named-ports.txt');
  });

  it('gives the reason a Service has no ready endpoint', async () => {
    const text = c.transcript([
      ['kfake apply -f -', { stdin: MISMATCH }],
      'kfake describe svc web',
      'kfake why endpoints web',
    ]);
    // the pod without the named port sits in an EndpointSlice without ports: describe shows its IP
    expect(text).toMatch(/Endpoints: +10\.244\.\d+\.\d+\n/);
    expect(text).toContain('its EndpointSlice lists it without ports');
    expect(text).toContain('label app=wbe, the selector wants app=web');
    expect(text).toContain('no container port named "web" with protocol TCP');
    await expect(text).toMatchFileSnapshot('../golden/diagnose/none.txt');
  });

  it('explains ExternalName and selector-less Services', async () => {
    const text = c.transcript([
      'kfake apply -f manifests/basics/external-name.yaml',
      'kfake why endpoints my-database',
      'kfake why endpoints kubernetes',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/diagnose/special.txt');
  });

  it('fails like kubectl for a missing Service, and asks for a name', () => {
    expect(c.sh('kfake why endpoints nope')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): services "nope" not found\n', code: 1 });
    expect(c.sh('kfake why endpoints -n kube-system')).toEqual({
      stdout: '',
      stderr: 'error: exactly one Service name is required: kfake why endpoints SERVICE [-n NAMESPACE]\n',
      code: 1,
    });
  });
});

/**
 * `kfake replace` end to end: whole objects PUT over the stored ones, the API server's
 * Conflict for a stale resourceVersion, NotFound for objects that do not exist, --force
 * (delete, then create), and bad input leaving the store as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFESTS, TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
  c.sh('kfake apply -f manifests/service-api/sample-clusterip.yaml');
});
afterEach(() => c.cleanup());

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(c.dir, name), text);
}

/** `kfake get ... -o yaml` saved to a file, then changed as a user would with sed. */
function saved(name: string, change: (text: string) => string = (t) => t): string {
  const text = change(c.sh('kfake get svc sample-clusterip -o yaml').stdout);
  write(name, text);
  return text;
}

const SAMPLE = `apiVersion: v1
kind: Service
metadata:
  name: sample-clusterip
spec:
  ports:
  - port: 8080
    targetPort: 80
  selector:
    app: sample-app
`;

const MISSING = `apiVersion: v1
kind: Service
metadata:
  name: not-there
spec:
  ports:
  - port: 80
`;

describe('replacing', () => {
  it('puts the object from the file in place of the stored one', async () => {
    saved('svc.yaml', (t) => t.replace('port: 8080', 'port: 8081'));
    const ip = c.sh('kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}').stdout;
    const text = c.transcript([
      'kfake replace -f svc.yaml',
      // the manifest has no resourceVersion, clusterIP or annotation: the stored version is
      // overwritten, the allocated address is kept and the annotation goes
      'kfake replace -f manifests/service-api/sample-clusterip.yaml',
      'kfake get svc sample-clusterip',
      'kfake get svc sample-clusterip -o jsonpath={.metadata.annotations}',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --save-config -o name',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --dry-run=client',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --dry-run=server',
    ]);
    expect(c.sh('kfake get svc sample-clusterip -o jsonpath={.spec.clusterIP}').stdout).toBe(ip);
    expect(c.sh('kfake get svc sample-clusterip -o jsonpath={.metadata.annotations}').stdout).toContain('last-applied-configuration');
    await expect(text).toMatchFileSnapshot('../golden/replace/replaced.txt');
  });

  it('a stale resourceVersion is the API server Conflict, and nothing changes', async () => {
    saved('old.yaml');
    c.sh('kfake replace -f manifests/service-api/sample-clusterip.yaml');
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake replace -f old.yaml',
      ['kfake replace -f -', { stdin: fs.readFileSync(path.join(c.dir, 'old.yaml'), 'utf8') }],
    ]);
    expect(text).toContain(
      'Error from server (Conflict): error when replacing "old.yaml": Operation cannot be fulfilled on services "sample-clusterip": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/replace/conflict.txt');
  });

  it('replaces the objects it can and reports the others', async () => {
    write('missing.yaml', MISSING);
    write('mixed.yaml', `${MISSING}---\n${SAMPLE}`);
    const text = c.transcript(['kfake replace -f missing.yaml', 'kfake replace -f mixed.yaml', 'kfake get svc sample-clusterip']);
    await expect(text).toMatchFileSnapshot('../golden/replace/partial.txt');
  });

  it('--force deletes and creates again', async () => {
    const uid = c.sh('kfake get svc sample-clusterip -o jsonpath={.metadata.uid}').stdout;
    write('missing.yaml', MISSING);
    const text = c.transcript([
      'kfake replace --force -f manifests/service-api/sample-clusterip.yaml',
      'kfake replace --force -f missing.yaml -o name',
      'kfake get svc',
    ]);
    expect(c.sh('kfake get svc sample-clusterip -o jsonpath={.metadata.uid}').stdout).not.toBe(uid);
    await expect(text).toMatchFileSnapshot('../golden/replace/force.txt');
  });

  it('a deployment replaced with another image rolls out', async () => {
    c.sh('kfake apply -f manifests/service-api/sample-deployment.yaml');
    const manifest = fs.readFileSync(path.join(MANIFESTS, 'service-api', 'sample-deployment.yaml'), 'utf8');
    write('deploy.yaml', manifest.replace('amsy810/echo-nginx:v2.0', 'amsy810/echo-nginx:v2.1'));
    const text = c.transcript([
      'kfake replace -f deploy.yaml',
      'kfake rollout history deployment/sample-deployment',
      'kfake get deployment sample-deployment -o jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/replace/deployment.txt');
  });
});

describe('bad input', () => {
  it('is refused with kubectl messages and leaves the store as it was', async () => {
    write('unknown-field.yaml', MISSING.replace('name: not-there', 'name: sample-clusterip').replace('spec:\n', 'spec:\n  bogus: true\n'));
    for (const name of ['missing-kind.yaml', 'syntax-error.yaml']) {
      fs.copyFileSync(path.join(MANIFESTS, 'broken', name), path.join(c.dir, name));
    }
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake replace',
      'kfake replace -f nope.yaml',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --grace-period=0',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --timeout=5s',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --validate=sometimes',
      'kfake replace -f manifests/service-api/sample-clusterip.yaml --subresource=spec',
      'kfake replace -f unknown-field.yaml',
      'kfake replace -f missing-kind.yaml',
      'kfake replace -f syntax-error.yaml',
    ]);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/replace/errors.txt');
  });
});

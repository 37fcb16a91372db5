/**
 * `kfake rollout` end to end. What the read-only subcommands print (status, history, undo
 * --dry-run=client) is compared with a golden transcript recorded from kubectl v1.32 reading the
 * same objects; the subcommands that change the deployment are shown with what the deployment
 * controller then does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
});
afterEach(() => c.cleanup());

const V1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: sample-deployment
  annotations:
    kubernetes.io/change-cause: initial release
spec:
  replicas: 3
  selector:
    matchLabels:
      app: sample-app
  template:
    metadata:
      labels:
        app: sample-app
    spec:
      containers:
      - name: nginx-container
        image: amsy810/echo-nginx:v2.0
`;
const V2 = V1.replace('initial release', 'update to v2.1').replace('v2.0', 'v2.1');

/** Three revisions: the manifest, the manifest with a new image and change-cause, then `set image`. */
function threeRevisions(): void {
  fs.writeFileSync(path.join(c.dir, 'v1.yaml'), V1);
  fs.writeFileSync(path.join(c.dir, 'v2.yaml'), V2);
  for (const line of [
    'kfake apply -f v1.yaml',
    'kfake apply -f v2.yaml',
    'kfake set image deployment/sample-deployment nginx-container=amsy810/echo-nginx:v2.2',
  ]) {
    expect(c.sh(line).code).toBe(0);
  }
}

describe('reading rollouts', () => {
  it('prints status, history and undo --dry-run=client as kubectl does', async () => {
    threeRevisions();
    const text = c.transcript([
      'kfake rollout status deployment/sample-deployment',
      'kfake rollout status deploy/sample-deployment --watch=false --revision=3',
      'kfake rollout status deploy/sample-deployment --revision=2',
      'kfake rollout status deploy -l app=nothing',
      'kfake rollout history deployment/sample-deployment',
      'kfake rollout history deployment sample-deployment --revision=2',
      'kfake rollout history deploy/sample-deployment --revision=9',
      'kfake rollout history deploy/sample-deployment -o name',
      'kfake rollout history deploy/sample-deployment --revision=1 -o yaml',
      'kfake rollout history deploy/sample-deployment --revision=1 -o json',
      'kfake rollout history deploy',
      'kfake rollout undo deploy/sample-deployment --dry-run=client',
      'kfake rollout undo deploy/sample-deployment --to-revision=1 --dry-run=client',
      'kfake rollout undo deploy/sample-deployment --to-revision=7 --dry-run=client',
      'kfake rollout undo deploy/sample-deployment --dry-run=client -o name',
      'kfake rollout status rs/sample-deployment-74ff5fcdc4',
      'kfake rollout history rs/sample-deployment-74ff5fcdc4',
      'kfake rollout undo rs/sample-deployment-74ff5fcdc4 --dry-run=client',
      'kfake rollout history svc/kubernetes deploy/nope',
      'kfake rollout status deploy/nope svc/kubernetes',
      'kfake rollout undo deploy/nope',
      'kfake rollout status',
      'kfake rollout history --revision=-1 deploy/sample-deployment',
      'kfake rollout bogus',
    ]);
    // recorded from kubectl v1.32 against the objects this cluster holds
    await expect(text).toMatchFileSnapshot('../golden/rollout/kubectl-read.txt');
  });

  it('waits for a rollout that cannot finish, up to --timeout', async () => {
    fs.writeFileSync(path.join(c.dir, 'v1.yaml'), V1);
    c.sh('kfake apply -f v1.yaml');
    const text = c.transcript([
      `kfake patch deployment sample-deployment -p '{"spec":{"template":{"spec":{"nodeSelector":{"disk":"none"}}}}}'`,
      'kfake rollout status deployment/sample-deployment --watch=false',
      'kfake rollout status deployment/sample-deployment --timeout=1s',
      'kfake get deployment,rs',
      'kfake rollout undo deployment/sample-deployment',
      'kfake rollout status deployment/sample-deployment',
      'kfake rollout history deployment/sample-deployment',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/rollout/stuck.txt');
  });
});

describe('changing rollouts', () => {
  it('set image, undo, restart, pause and resume', async () => {
    const text = c.transcript([
      'kfake create deployment web --image=nginx:1.26 --replicas=3',
      'kfake set image deployment/web nginx=nginx:1.27',
      'kfake rollout status deployment/web',
      'kfake rollout history deployment/web',
      'kfake rollout undo deployment/web',
      'kfake rollout history deployment/web',
      'kfake get deployment web -o jsonpath={.spec.template.spec.containers[0].image}',
      'kfake rollout undo deployment/web --to-revision=3',
      'kfake rollout undo deployment/web --to-revision=2 --dry-run=server',
      'kfake rollout undo deployment/web --to-revision=1',
      'kfake rollout pause deployment/web',
      'kfake rollout pause deployment/web',
      'kfake set image deployment/web nginx=nginx:1.28',
      'kfake rollout status deployment/web --watch=false',
      'kfake rollout undo deployment/web',
      'kfake rollout restart deployment/web',
      'kfake rollout resume deployment/web',
      'kfake rollout resume deployment/web',
      'kfake rollout status deployment/web',
      'kfake rollout restart deployment/web',
      'kfake rollout restart deployment/web',
      'kfake get deployment web -o jsonpath={.spec.template.metadata.annotations}',
      'kfake rollout history deployment/web',
      'kfake get rs',
      'kfake rollout pause svc/kubernetes deploy/nope',
      'kfake rollout restart deploy -l app=nothing',
      // a second later the restart annotation changes again
      ['kfake rollout restart deploy -o name', { now: '2026-11-21T10:00:05Z' }],
      ['kfake get deployment web -o jsonpath={.spec.template.metadata.annotations}', { now: '2026-11-21T10:00:05Z' }],
    ]);
    await expect(text).toMatchFileSnapshot('../golden/rollout/changes.txt');
  });

  it('rollout with no subcommand prints its help and fails', () => {
    const r = c.sh('kfake rollout');
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('Manage the rollout of one or many resources.\n')).toBe(true);
    expect(r.stdout).toContain('Usage:\n  kfake rollout SUBCOMMAND [options]\n');
  });

  it('bad input changes nothing', () => {
    threeRevisions();
    const before = c.storeBytes();
    for (const line of [
      'kfake rollout undo deploy/sample-deployment --to-revision=9',
      'kfake rollout undo deploy/nope',
      'kfake rollout undo svc/kubernetes',
      'kfake rollout restart svc/kubernetes',
      'kfake rollout resume deploy/sample-deployment',
      'kfake rollout undo',
    ]) {
      const r = c.sh(line);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toBe('');
    }
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

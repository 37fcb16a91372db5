/**
 * The deprecated `--record` end to end: the notice on stderr, the command line in the
 * `kubernetes.io/change-cause` annotation, the Deployment controller passing it to the new
 * ReplicaSet and `rollout history` showing it. Where kubectl records follows each command's
 * source (kubectl v1.32); the texts of client dry runs and of `rollout history` were compared
 * with kubectl v1.32 reading the same objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshClusters } from '../helpers/kfake.ts';

const fresh = freshClusters();

const CAUSE = `'jsonpath={.metadata.annotations.kubernetes\\.io/change-cause}'`;

const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.27
`;

describe('--record', () => {
  it('a tutorial walkthrough: set image, scale, annotate and label record, rollout history shows it', async () => {
    const c = fresh('kfake create deployment web --image=nginx:1.26 --replicas=2');
    const text = c.transcript([
      'kfake set image deployment/web nginx=nginx:1.27 --record',
      'kfake rollout history deployment/web',
      'kfake rollout history deployment/web --revision=2',
      // scale records with a merge patch on the Deployment itself; the controller passes the
      // Deployment's annotations on to its current ReplicaSet.
      'kfake scale deployment web --replicas=3 --record',
      'kfake rollout history deployment/web',
      'kfake -n default annotate deploy web team=blue --record',
      `kfake get deploy web -o ${CAUSE}`,
      'kfake label deploy web tier=front --record',
      `kfake get deploy web -o ${CAUSE}`,
      // Without --record the annotation stays as it was, and the new ReplicaSet inherits it.
      'kfake set image deploy/web nginx=nginx:1.28 --record=false',
      'kfake rollout history deploy/web',
      'kfake get rs',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/record/walkthrough.txt');
  });

  it('apply records before it computes the last-applied configuration, which then holds the cause too', async () => {
    const c = fresh();
    fs.writeFileSync(path.join(c.dir, 'api.yaml'), API);
    const text = c.transcript([
      'kfake apply -f api.yaml --record',
      'kfake apply -f api.yaml --record',
      `kfake get deploy api -o 'jsonpath={.metadata.annotations}'`,
      'kfake rollout history deploy/api',
      // The same file without --record: the cause is in the last-applied configuration but
      // not in the file, so the three-way patch removes it.
      'kfake apply -f api.yaml',
      `kfake get deploy api -o ${CAUSE}`,
    ]);
    await expect(text).toMatchFileSnapshot('../golden/record/apply.txt');
  });

  it('create, expose, run and patch record on what they send', async () => {
    const c = fresh();
    fs.writeFileSync(path.join(c.dir, 'api.yaml'), API);
    const text = c.transcript([
      'kfake create -f api.yaml --record',
      `kfake get deploy api -o ${CAUSE}`,
      'kfake expose deployment api --port=80 --record',
      `kfake get svc api -o ${CAUSE}`,
      'kfake run tools --image=busybox:1.36 --record --expose --port=8080 -- sleep 3600',
      `kfake get pod tools -o ${CAUSE}`,
      `kfake get svc tools -o ${CAUSE}`,
      `kfake patch deploy api -p '{"spec":{"replicas":2}}' --record`,
      `kfake get deploy api -o ${CAUSE}`,
      // Whether it patched is decided before the cause is recorded by a patch of its own.
      `kfake patch deploy api -p '{"spec":{"replicas":2}}' --record -o 'jsonpath={.spec.replicas} {.metadata.annotations.kubernetes\\.io/change-cause}'`,
    ]);
    await expect(text).toMatchFileSnapshot('../golden/record/create-expose-run-patch.txt');
  });

  it('client dry runs print the cause where kubectl records it, and store nothing', async () => {
    const c = fresh('kfake create deployment web --image=nginx:1.26');
    const before = c.storeBytes();
    const text = c.transcript([
      // Recorded while the patch is computed, so the printed object has it.
      `kfake set image deploy/web nginx=nginx:1.27 --record --dry-run=client -o ${CAUSE}`,
      'kfake run p --image=nginx --record --dry-run=client -o yaml',
      // label/annotate/scale/patch record only what they send to the server.
      `kfake annotate deploy web a=b --record --dry-run=client -o ${CAUSE}`,
      `kfake label deploy web a=b --record --dry-run=client -o ${CAUSE}`,
      `kfake scale deploy web --replicas=2 --record --dry-run=client -o ${CAUSE}`,
    ]);
    await expect(text).toMatchFileSnapshot('../golden/record/dry-run.txt');
    expect(c.storeBytes().equals(before)).toBe(true);
  });

  it('scale --dry-run=server records for real (its recording request is sent without dry run)', () => {
    const c = fresh('kfake create deployment web --image=nginx:1.26');
    expect(c.sh('kfake scale deploy web --replicas=4 --dry-run=server --record')).toEqual({
      stdout: 'deployment.apps/web scaled (server dry run)\n',
      stderr: 'Flag --record has been deprecated, --record will be removed in the future\n',
      code: 0,
    });
    expect(c.sh(`kfake get deploy web -o 'jsonpath={.spec.replicas} {.metadata.annotations.kubernetes\\.io/change-cause}'`).stdout).toBe(
      '1 kfake scale deploy web --replicas=4 --dry-run=server --record=true',
    );
  });

  it('edit records on the edited object', () => {
    const c = fresh('kfake create deployment web --image=nginx:1.26');
    const editor = path.join(c.dir, 'editor.sh');
    fs.writeFileSync(editor, '#!/bin/sh\nsed -i "s/image: nginx:1.26/image: nginx:1.27/" "$1"\n', { mode: 0o755 });
    expect(c.sh('kfake edit deploy/web --record', { env: { KUBE_EDITOR: editor } })).toEqual({
      stdout: 'deployment.apps/web edited\n',
      stderr: 'Flag --record has been deprecated, --record will be removed in the future\n',
      code: 0,
    });
    expect(c.sh('kfake rollout history deploy/web').stdout).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kfake edit deploy/web --record=true\n\n',
    );
  });

  it('bad input gets kubectl’s errors, exit 1 and an unchanged store', async () => {
    const c = fresh('kfake create deployment web --image=nginx:1.26');
    const before = c.storeBytes();
    const text = c.transcript([
      'kfake set image deploy/web nginx=nginx:1.27 --record=maybe',
      'kfake scale deploy web --replicas=2 --record --bogus',
      'kfake replace -f web.yaml --record',
      'kfake rollout undo deploy/web --record',
      'kfake create deployment other --image=nginx --record',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/record/errors.txt');
    expect(c.storeBytes().equals(before)).toBe(true);
  });
});

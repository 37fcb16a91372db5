/**
 * `kfake set image` end to end. Lines and errors were compared with kubectl v1.32 (offline with
 * --local, and through a stub API server recording the strategic merge patches it sends); the
 * rollout is the deployment controller's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshClusters, MANIFESTS } from '../helpers/kfake.ts';

const fresh = freshClusters();

const WHMS = ['kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-service.yaml'];

describe('set image', () => {
  it('starts a rollout: a new ReplicaSet takes over and the pods are replaced', async () => {
    const c = fresh(...WHMS);
    const oldPods = c.sh('kfake get pods -o name').stdout;
    const text = c.transcript([
      'kfake set image deployment/whms-deployment whms=hashicorp/http-echo:1.0',
      'kfake get replicasets',
      'kfake get pods -o wide',
      'kfake get endpoints whms-service',
      'kfake get events --field-selector reason=ScalingReplicaSet',
      'kfake set image deployment/whms-deployment whms=hashicorp/http-echo:1.0',
    ]);
    const newPods = c.sh('kfake get pods -o name').stdout;
    expect(newPods.split('\n').filter((p) => p && oldPods.includes(p))).toEqual([]);
    expect(c.sh("kfake get deploy whms-deployment -o jsonpath='{.spec.template.spec.containers[0].image}'").stdout).toBe('hashicorp/http-echo:1.0');
    await expect(text).toMatchFileSnapshot('../golden/set/rollout.txt');
  });

  it('* sets every container; pods, selectors and --all work too', async () => {
    const c = fresh(...WHMS, 'kfake apply -f manifests/pooh/pooh-db-nginx-pod.yaml');
    const text = c.transcript([
      "kfake set image deploy whms-deployment '*=hashicorp/http-echo:1.0' -o name",
      'kfake set image pod -l app=pooh-db-nginx-app pooh-db-nginx=nginx:1.27',
      'kfake get pod pooh-db-nginx-pod -o jsonpath={.spec.containers[0].image}',
      'kfake set image deployments --all whms=hashicorp/http-echo:1.1 --dry-run=server',
      'kfake set image deployments --all whms=hashicorp/http-echo:1.1 --dry-run=client',
      'kfake get deploy whms-deployment -o jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/set/selectors.txt');
  });

  it('--local sets the image in a file and prints the object as kubectl encodes it', async () => {
    const c = fresh();
    const file = path.join(c.dir, 'deploy.yaml');
    fs.copyFileSync(path.join(MANIFESTS, 'whms', 'whms-deployment.yaml'), file);
    const text = c.transcript([`kfake set image -f ${file} whms=nginx:1.27 --local -o yaml`, `kfake set image -f ${file} whms=nginx:1.27 --local`]);
    expect(fs.existsSync(c.store)).toBe(false);
    await expect(text.replaceAll(file, 'deploy.yaml')).toMatchFileSnapshot('../golden/set/local.txt');
  });

  it('errors for unknown containers and kinds without a pod template, after the rest is updated', async () => {
    const c = fresh(...WHMS);
    const text = c.transcript([
      'kfake set image deployment/whms-deployment nope=nginx',
      'kfake set image deployment/whms-deployment whms=nginx:1.27 sidecar=busybox',
      'kfake set image svc/whms-service deploy/whms-deployment whms=nginx:1.28',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/set/partial.txt');
  });

  it('bad input gets kubectl’s errors, exit 1 and an unchanged store', async () => {
    const c = fresh(...WHMS);
    const lines = [
      'kfake set',
      'kfake set foo deploy/x',
      'kfake set image',
      'kfake set image deployment/whms-deployment',
      'kfake set image deployment/nope whms=nginx',
      'kfake set image deployment/whms-deployment deployment/nope whms=nginx',
      'kfake set image foo/bar whms=nginx',
      "kfake set image deployment/whms-deployment whms=nginx '*=busybox'",
      'kfake set image deployment/whms-deployment whms-',
      'kfake set image deployments --all -l app=x whms=nginx',
      'kfake set image deployment/whms-deployment whms=nginx --local',
      'kfake set image deployment/whms-deployment whms=',
    ];
    const before = c.storeBytes();
    const text = c.transcript(lines);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/set/errors.txt');
  });
});

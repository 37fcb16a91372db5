/**
 * `kfake scale` end to end. Lines and errors were compared with kubectl v1.32 through a stub
 * API server recording the /scale requests; pods and endpoints follow through the controllers.
 */
import { describe, expect, it } from 'vitest';
import { freshClusters } from '../helpers/kfake.ts';

const fresh = freshClusters();

const WHMS = ['kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-service.yaml'];

describe('scale', () => {
  it('adds and removes pods at once, and the Service’s endpoints follow', async () => {
    const c = fresh(...WHMS);
    const text = c.transcript([
      'kfake scale deployment whms-deployment --replicas=3',
      'kfake get deployment,replicaset,pods',
      'kfake get endpoints whms-service',
      'kfake scale deploy/whms-deployment --replicas=1 --current-replicas=3',
      'kfake get pods',
      'kfake get endpoints whms-service',
      'kfake scale deploy whms-deployment --replicas=0',
      'kfake get endpoints whms-service',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/scale/up-and-down.txt');
  });

  it('scales several objects, by selector or --all; a ReplicaSet its Deployment owns is scaled back', async () => {
    const c = fresh(...WHMS, 'kfake apply -f manifests/service-api/sample-deployment.yaml');
    const text = c.transcript([
      'kfake get deployments',
      'kfake scale deployments --all --replicas=2',
      'kfake scale deploy -l app=sample-app --replicas=1',
      'kfake scale deploy whms-deployment sample-deployment --replicas=4 -o name',
      'kfake get deployments',
      'kfake scale rs -l app=sample-app --replicas=0',
      'kfake get rs -l app=sample-app',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/scale/several.txt');
  });

  it('--dry-run reports without storing', () => {
    const c = fresh(...WHMS);
    const before = c.storeBytes();
    expect(c.sh('kfake scale deploy whms-deployment --replicas=5 --dry-run=client').stdout).toBe('deployment.apps/whms-deployment scaled (dry run)\n');
    expect(c.sh('kfake scale deploy whms-deployment --replicas=5 --dry-run=server').stdout).toBe(
      'deployment.apps/whms-deployment scaled (server dry run)\n',
    );
    expect(c.storeBytes().equals(before)).toBe(true);
  });

  it('a missing object among others is reported after the rest is scaled', () => {
    const c = fresh(...WHMS);
    expect(c.sh('kfake scale deploy whms-deployment nope --replicas=2')).toEqual({
      stdout: 'deployment.apps/whms-deployment scaled\n',
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
      code: 1,
    });
  });

  it('bad input gets kubectl’s errors, exit 1 and an unchanged store', async () => {
    const c = fresh(...WHMS);
    const lines = [
      'kfake scale deploy whms-deployment',
      'kfake scale deploy whms-deployment --replicas=-1',
      'kfake scale deploy whms-deployment --replicas=x',
      'kfake scale deploy whms-deployment --replicas=1 --current-replicas=-2',
      'kfake scale --replicas=1',
      'kfake scale deploy --replicas=1',
      'kfake scale foo bar --replicas=1',
      'kfake scale deploy nope --replicas=1',
      'kfake scale deploy nope other --replicas=1',
      'kfake scale deploy -l app=nothing --replicas=1',
      'kfake scale deploy whms-deployment --replicas=1 --current-replicas=5',
      'kfake scale deploy whms-deployment --replicas=1 --resource-version=1',
      'kfake scale deploy,rs --all --replicas=1 --resource-version=1',
      'kfake scale svc whms-service --replicas=1',
      'kfake scale svc whms-service --replicas=1 --current-replicas=1',
    ];
    const rv = c.sh('kfake get deploy whms-deployment -o jsonpath={.metadata.resourceVersion}').stdout;
    const before = c.storeBytes();
    const text = c.transcript(lines);
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text.replace(`was ${rv}\n`, 'was <rv>\n')).toMatchFileSnapshot('../golden/scale/errors.txt');
  });
});

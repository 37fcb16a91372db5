/**
 * The rollout helpers: DeploymentStatusViewer's messages (staging/src/k8s.io/kubectl/pkg/
 * polymorphichelpers/rollout_status.go) and printTemplate, whose text kubectl v1.32 printed for
 * the same template with `rollout history --revision`.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/api/types.ts';
import { deploymentStatus, printTemplate } from '../../src/commands/rollout.ts';

function deployment(generation: number, replicas: number | undefined, status: NonNullable<Deployment['status']>): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': '4' } },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [] } } },
    status,
  };
}

describe('rollout status messages', () => {
  it('walks through a rollout as the status viewer reports it', () => {
    expect(deploymentStatus(deployment(2, 3, { observedGeneration: 1 }), 0)).toEqual({
      message: 'Waiting for deployment spec update to be observed...\n',
      done: false,
    });
    expect(deploymentStatus(deployment(2, 3, { observedGeneration: 2, updatedReplicas: 1, replicas: 4 }), 0)).toEqual({
      message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
      done: false,
    });
    expect(deploymentStatus(deployment(2, 3, { observedGeneration: 2, updatedReplicas: 3, replicas: 4 }), 0)).toEqual({
      message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
      done: false,
    });
    expect(deploymentStatus(deployment(2, 3, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }), 0)).toEqual({
      message: 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n',
      done: false,
    });
    expect(deploymentStatus(deployment(2, 3, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), 4)).toEqual({
      message: 'deployment "web" successfully rolled out\n',
      done: true,
    });
  });

  it('fails for another revision or a rollout past its deadline', () => {
    expect(() => deploymentStatus(deployment(1, 1, {}), 3)).toThrow('desired revision (3) is different from the running revision (4)');
    const stuck = deployment(1, 1, {
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(() => deploymentStatus(stuck, 0)).toThrow('deployment "web" exceeded its progress deadline');
  });
});

describe('printTemplate', () => {
  it('is DescribePodTemplate without tab alignment', () => {
    const text = printTemplate({
      metadata: {
        labels: { app: 'sample-app', 'pod-template-hash': '646cb86665' },
        annotations: { 'kubernetes.io/change-cause': 'update to v2.1' },
      },
      spec: { containers: [{ name: 'nginx-container', image: 'amsy810/echo-nginx:v2.1' }] },
    });
    // kubectl rollout history deployment sample-deployment --revision=2
    expect(text).toBe(
      'Pod Template:\n' +
        '  Labels:\tapp=sample-app\n' +
        '\tpod-template-hash=646cb86665\n' +
        '  Annotations:\tkubernetes.io/change-cause: update to v2.1\n' +
        '  Containers:\n' +
        '   nginx-container:\n' +
        '    Image:\tamsy810/echo-nginx:v2.1\n' +
        '    Port:\t<none>\n' +
        '    Host Port:\t<none>\n' +
        '    Environment:\t<none>\n' +
        '    Mounts:\t<none>\n' +
        '  Volumes:\t<none>\n' +
        '  Node-Selectors:\t<none>\n' +
        '  Tolerations:\t<none>\n',
    );
  });
});

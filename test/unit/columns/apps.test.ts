// Deployment and ReplicaSet rows. Cases ported from k8s.io/kubernetes
// pkg/printers/internalversion/printers_test.go (TestPrintDeployment, TestPrintReplicaSet).
import { describe, expect, it } from 'vitest';
import type { Deployment, LabelSelector, ReplicaSet } from '../../../src/api/types.ts';
import { ago, columnNames, rowCells } from './rows.ts';

const template = {
  spec: {
    containers: [
      { name: 'fake-container1', image: 'fake-image1' },
      { name: 'fake-container2', image: 'fake-image2' },
    ],
  },
};

function deployment(selector: LabelSelector, status: Deployment['status']): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'test1', creationTimestamp: ago(-1.9) },
    spec: { replicas: 5, template, selector },
    status,
  };
}

describe('printDeployment (TestPrintDeployment)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('deployments', true)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  });

  const d = deployment({ matchLabels: { foo: 'bar' } }, { replicas: 10, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 4 });

  it('default columns', () => {
    expect(rowCells('deployments', d)).toEqual(['test1', '0/5', '2', '1', '0s']);
  });

  it('wide columns', () => {
    expect(rowCells('deployments', d, true)).toEqual([
      'test1', '0/5', '2', '1', '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2', 'foo=bar',
    ]);
  });

  it('prints an empty selector as an empty cell, and expressions in selector syntax', () => {
    expect(rowCells('deployments', deployment({}, {}), true)[7]).toBe('');
    const sel: LabelSelector = {
      matchLabels: { tier: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    expect(rowCells('deployments', deployment(sel, { readyReplicas: 5 }), true)).toEqual([
      'test1', '5/5', '0', '0', '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2', 'env in (dev,prod),!legacy,tier=web',
    ]);
  });
});

function replicaSet(selector: LabelSelector | undefined): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'test1', creationTimestamp: ago(-1.9) },
    spec: { replicas: 5, template, ...(selector ? { selector } : {}) } as ReplicaSet['spec'],
    status: { replicas: 5, readyReplicas: 2 },
  };
}

describe('printReplicaSet (TestPrintReplicaSet)', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('replicasets', true)).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
  });

  it('default columns', () => {
    expect(rowCells('replicasets', replicaSet({ matchLabels: { foo: 'bar' } }))).toEqual(['test1', '5', '5', '2', '0s']);
  });

  it('wide columns', () => {
    expect(rowCells('replicasets', replicaSet({ matchLabels: { foo: 'bar' } }), true)).toEqual([
      'test1', '5', '5', '2', '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2', 'foo=bar',
    ]);
  });

  it('prints <none> for a missing selector (FormatLabelSelector)', () => {
    expect(rowCells('replicasets', replicaSet(undefined), true)[7]).toBe('<none>');
  });
});

// Node rows. Cases ported from k8s.io/kubernetes pkg/printers/internalversion/printers_test.go
// (TestPrintNodeStatus, TestPrintNodeRole, TestPrintNodeOSImage, TestPrintNodeKernelVersion,
// TestPrintNodeContainerRuntimeVersion, TestPrintNodeName, TestPrintNodeExternalIP,
// TestPrintNodeInternalIP).
import { describe, expect, it } from 'vitest';
import type { Condition, Node, NodeAddress } from '../../../src/api/types.ts';
import { columnNames, rowCells } from './rows.ts';

function node(
  name: string,
  opts: { conditions?: Partial<Condition>[]; unschedulable?: boolean; labels?: Record<string, string>; addresses?: NodeAddress[]; nodeInfo?: Record<string, string> } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: opts.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: opts.conditions as Condition[] | undefined,
      addresses: opts.addresses,
      nodeInfo: opts.nodeInfo,
    },
  };
}

const ready = (status: string) => ({ type: 'Ready', status }) as Condition;

describe('node columns', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('nodes')).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(columnNames('nodes', true)).toEqual([
      'Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime',
    ]);
  });
});

describe('printNode status (TestPrintNodeStatus)', () => {
  it.each<[Node, string]>([
    [node('foo1', { conditions: [ready('True')] }), 'Ready'],
    [node('foo2', { conditions: [ready('True')], unschedulable: true }), 'Ready,SchedulingDisabled'],
    [node('foo3', { conditions: [ready('True'), ready('True')] }), 'Ready'],
    [node('foo4', { conditions: [ready('False')] }), 'NotReady'],
    [node('foo5', { conditions: [ready('False')], unschedulable: true }), 'NotReady,SchedulingDisabled'],
    [node('foo6', { conditions: [{ type: 'InvalidValue', status: 'True' }] }), 'Unknown'],
    [node('foo7', { conditions: [{}] }), 'Unknown'],
    [node('foo8', { conditions: [{ type: 'InvalidValue', status: 'True' }], unschedulable: true }), 'Unknown,SchedulingDisabled'],
    [node('foo9', { conditions: [{}], unschedulable: true }), 'Unknown,SchedulingDisabled'],
    [node('unknown', { conditions: [ready('Unknown')] }), 'NotReady'],
  ])('%#: %s', (n, status) => {
    expect(rowCells('nodes', n)).toEqual([n.metadata.name, status, '<none>', '<unknown>', '']);
  });
});

describe('printNode roles (TestPrintNodeRole)', () => {
  it.each<[Record<string, string> | undefined, string]>([
    [undefined, '<none>'],
    [
      { 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/proxy': '', 'kubernetes.io/role': 'node' },
      'control-plane,master,node,proxy',
    ],
    [{ 'kubernetes.io/role': 'node' }, 'node'],
    [{ 'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': '' }, '<none>'],
  ])('%j → %s', (labels, roles) => {
    expect(rowCells('nodes', node('n', { labels }))[2]).toBe(roles);
  });
});

describe('printNode wide (TestPrintNodeOSImage and friends)', () => {
  const external = [{ type: 'ExternalIP', address: '1.1.1.1' }] as NodeAddress[];

  it.each<[string, Node, string[]]>([
    ['OS image', node('foo1', { nodeInfo: { osImage: 'fake-os-image' }, addresses: external }), ['<none>', '1.1.1.1', 'fake-os-image', '<unknown>', '<unknown>']],
    ['kernel', node('foo2', { nodeInfo: { kernelVersion: 'fake-kernel-version' }, addresses: external }), ['<none>', '1.1.1.1', '<unknown>', 'fake-kernel-version', '<unknown>']],
    ['runtime', node('foo1', { nodeInfo: { containerRuntimeVersion: 'foo://1.2.3' }, addresses: external }), ['<none>', '1.1.1.1', '<unknown>', '<unknown>', 'foo://1.2.3']],
    ['no node info', node('foo2', { nodeInfo: {}, addresses: external }), ['<none>', '1.1.1.1', '<unknown>', '<unknown>', '<unknown>']],
    ['internal IP', node('foo2', { addresses: [{ type: 'InternalIP', address: '1.1.1.1' }] }), ['1.1.1.1', '<none>', '<unknown>', '<unknown>', '<unknown>']],
    [
      'first of each address type',
      node('foo3', {
        addresses: [
          { type: 'ExternalIP', address: '2.2.2.2' },
          { type: 'InternalIP', address: '3.3.3.3' },
          { type: 'ExternalIP', address: '4.4.4.4' },
        ],
      }),
      ['3.3.3.3', '2.2.2.2', '<unknown>', '<unknown>', '<unknown>'],
    ],
    [
      'first internal IP',
      node('foo3', {
        addresses: [
          { type: 'InternalIP', address: '2.2.2.2' },
          { type: 'ExternalIP', address: '3.3.3.3' },
          { type: 'InternalIP', address: '4.4.4.4' },
        ],
      }),
      ['2.2.2.2', '3.3.3.3', '<unknown>', '<unknown>', '<unknown>'],
    ],
  ])('%s', (_, n, wideCells) => {
    expect(rowCells('nodes', n, true)).toEqual([n.metadata.name, 'Unknown', '<none>', '<unknown>', '', ...wideCells]);
  });

  it('prints names verbatim (TestPrintNodeName)', () => {
    expect(rowCells('nodes', node('127.0.0.1'))).toEqual(['127.0.0.1', 'Unknown', '<none>', '<unknown>', '']);
    expect(rowCells('nodes', node(''))).toEqual(['', 'Unknown', '<none>', '<unknown>', '']);
  });

  it('shows the kubelet version', () => {
    const n = node('kfake-node', { conditions: [ready('True')], labels: { 'node-role.kubernetes.io/control-plane': '' }, nodeInfo: { kubeletVersion: 'v1.32.4' } });
    expect(rowCells('nodes', n)).toEqual(['kfake-node', 'Ready', 'control-plane', '<unknown>', 'v1.32.4']);
  });
});

/** Node rows: printNode in k8s.io/kubernetes pkg/printers/internalversion/printers.go. */
import type { KObject, Node } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, compareStrings, nameOf, type KindPrinter } from './common.ts';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

export const nodePrinter: KindPrinter = {
  columns: [
    NAME,
    column('Status'),
    column('Roles'),
    AGE,
    column('Version'),
    column('Internal-IP', 1),
    column('External-IP', 1),
    column('OS-Image', 1),
    column('Kernel-Version', 1),
    column('Container-Runtime', 1),
  ],
  cells: (object: KObject, now: Date) => {
    const node = object as Node;
    const info = node.status?.nodeInfo ?? {};
    return [
      nameOf(node),
      nodeStatus(node),
      nodeRoles(node).join(',') || '<none>',
      ageOf(node, now),
      info.kubeletVersion ?? '',
      firstAddress(node, 'InternalIP'),
      firstAddress(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

/**
 * Only the Ready condition counts (the last one, when repeated): `Ready`, or `NotReady` for any
 * other status; `Unknown` without one. `,SchedulingDisabled` follows for a cordoned node.
 */
function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values, sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === NODE_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort(compareStrings);
}

function firstAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

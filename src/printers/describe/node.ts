/**
 * kubectl describe node (NodeDescriber, describeNode, describeNodeResource in
 * staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32; pod totals follow
 * PodRequests/PodLimits of staging/src/k8s.io/component-helpers/resource/helpers.go).
 */
import type { Lease, Node, Pod } from '../../api/types.ts';
import {
  compareStrings,
  describeEvents,
  formatTime,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTaintsMultiline,
  since,
  sortedKeys,
} from './common.ts';
import type { DescribeContext } from './context.ts';
import {
  addQuantity,
  cmpQuantity,
  parseQuantity,
  type Quantity,
  quantityMilliValue,
  quantityString,
  quantityValue,
  ZERO_QUANTITY,
} from './quantity.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter, tabbedString } from './writer.ts';

type Totals = Map<string, Quantity>;

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` value. */
function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort(compareStrings);
}

function toTotals(list: Record<string, string> | undefined): Totals {
  const out: Totals = new Map();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = parseQuantity(raw);
    if (q) out.set(name, q);
  }
  return out;
}

function addInto(into: Totals, list: Totals): void {
  for (const [name, q] of list) {
    const prev = into.get(name);
    into.set(name, prev ? addQuantity(prev, q) : q);
  }
}

function maxInto(into: Totals, list: Totals): void {
  for (const [name, q] of list) {
    const prev = into.get(name);
    if (!prev || cmpQuantity(q, prev) > 0) into.set(name, q);
  }
}

/**
 * PodRequests / PodLimits: the containers' sum, raised to what any init container needs while it
 * runs (with the restartable sidecars started before it), plus overhead. kubectl 1.32 leaves
 * pod-level resources out of these sums.
 */
function podTotals(pod: Pod, field: 'requests' | 'limits'): Totals {
  const spec = pod.spec ?? { containers: [] };
  const out: Totals = new Map();
  for (const c of spec.containers ?? []) addInto(out, toTotals(c.resources?.[field]));
  const sidecars: Totals = new Map();
  const initMax: Totals = new Map();
  for (const c of spec.initContainers ?? []) {
    const own = toTotals(c.resources?.[field]);
    let need: Totals;
    if (c.restartPolicy === 'Always') {
      addInto(out, own);
      addInto(sidecars, own);
      need = sidecars;
    } else {
      need = new Map();
      addInto(need, own);
      addInto(need, sidecars);
    }
    maxInto(initMax, need);
  }
  maxInto(out, initMax);
  const overhead = toTotals(spec.overhead);
  if (field === 'requests') addInto(out, overhead);
  else for (const [name, q] of overhead) if (out.has(name)) out.set(name, addQuantity(out.get(name)!, q));
  return out;
}

/** Go's int64(float64) for a percentage; ±Inf and NaN become MinInt64 on amd64. */
function percent(part: bigint, whole: bigint): string {
  const f = (Number(part) / Number(whole)) * 100;
  return Number.isFinite(f) ? String(Math.trunc(f)) : '-9223372036854775808';
}

function totalOf(totals: Totals, name: string): Quantity {
  return totals.get(name) ?? ZERO_QUANTITY;
}

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const isHugePages = (name: string) => name.startsWith('hugepages-');

function describeNodeResource(w: PrefixWriter, pods: Pod[], node: Node, ctx: DescribeContext): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const status = node.status ?? {};
  const allocatable = toTotals(Object.keys(status.allocatable ?? {}).length > 0 ? status.allocatable : status.capacity);
  const allocCPU = quantityMilliValue(totalOf(allocatable, 'cpu'));
  const allocMemory = quantityValue(totalOf(allocatable, 'memory'));
  const reqs: Totals = new Map();
  const limits: Totals = new Map();
  for (const pod of pods) {
    const req = podTotals(pod, 'requests');
    const lim = podTotals(pod, 'limits');
    addInto(reqs, req);
    addInto(limits, lim);
    const cpuReq = totalOf(req, 'cpu');
    const cpuLim = totalOf(lim, 'cpu');
    const memReq = totalOf(req, 'memory');
    const memLim = totalOf(lim, 'memory');
    w.write(
      LEVEL_1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name ?? ''}\t\t` +
        `${quantityString(cpuReq)} (${percent(quantityMilliValue(cpuReq), allocCPU)}%)\t` +
        `${quantityString(cpuLim)} (${percent(quantityMilliValue(cpuLim), allocCPU)}%)\t` +
        `${quantityString(memReq)} (${percent(quantityValue(memReq), allocMemory)}%)\t` +
        `${quantityString(memLim)} (${percent(quantityValue(memLim), allocMemory)}%)\t` +
        `${since(pod.metadata.creationTimestamp, ctx)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  // The totals guard against an unknown allocatable, unlike the per-pod rows.
  const row = (name: string, whole: bigint, value: (q: Quantity) => bigint) => {
    const r = totalOf(reqs, name);
    const l = totalOf(limits, name);
    const pr = whole === 0n ? '0' : percent(value(r), whole);
    const pl = whole === 0n ? '0' : percent(value(l), whole);
    w.write(LEVEL_1, `${name}\t${quantityString(r)} (${pr}%)\t${quantityString(l)} (${pl}%)\n`);
  };
  row('cpu', allocCPU, quantityMilliValue);
  row('memory', allocMemory, quantityValue);
  row('ephemeral-storage', quantityValue(totalOf(allocatable, 'ephemeral-storage')), quantityValue);
  const names = [...allocatable.keys()];
  for (const name of names.filter(isHugePages).sort(compareStrings)) row(name, quantityValue(totalOf(allocatable, name)), quantityValue);
  const extended = names.filter((n) => !isHugePages(n) && !STANDARD_CONTAINER_RESOURCES.includes(n) && n !== 'pods').sort(compareStrings);
  for (const name of extended) {
    w.write(LEVEL_1, `${name}\t${quantityString(totalOf(reqs, name))}\t${quantityString(totalOf(limits, name))}\n`);
  }
}

function describeLease(w: PrefixWriter, lease: Lease | undefined, nodeName: string): void {
  if (!lease) {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${nodeName}" not found\n`);
    return;
  }
  const spec = lease.spec ?? {};
  w.write(LEVEL_0, 'Lease:\n');
  w.write(LEVEL_1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
  w.write(LEVEL_1, `AcquireTime:\t${spec.acquireTime ? formatTime(spec.acquireTime) : '<unset>'}\n`);
  w.write(LEVEL_1, `RenewTime:\t${spec.renewTime ? formatTime(spec.renewTime) : '<unset>'}\n`);
}

export function describeNode(node: Node, ctx: DescribeContext): string {
  const name = node.metadata.name ?? '';
  const pods = (ctx.list('pods', undefined) as Pod[]).filter(
    (p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  // Controllers record node events under the node's uid, the kubelet under its name.
  const events = [
    ...ctx.events({ namespace: '', name, kind: 'Node', uid: node.metadata.uid || undefined }),
    ...ctx.events({ namespace: '', name, kind: 'Node', uid: name }),
  ];
  const lease = ctx.get('leases', 'kube-node-lease', name) as Lease | undefined;
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', node.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${formatTime(node.metadata.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', spec.taints);
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
    describeLease(w, lease, name);
    const conditions = status.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        const times = `${formatTime(c.lastHeartbeatTime)} \t${formatTime(c.lastTransitionTime)}`;
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${times} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    const printResourceList = (list: Record<string, string>) => {
      for (const k of sortedKeys(list)) {
        const q = parseQuantity(list[k]);
        w.write(LEVEL_0, `  ${k}:\t${q ? quantityString(q) : list[k]}\n`);
      }
    };
    if (Object.keys(status.capacity ?? {}).length > 0) {
      w.write(LEVEL_0, 'Capacity:\n');
      printResourceList(status.capacity!);
    }
    if (Object.keys(status.allocatable ?? {}).length > 0) {
      w.write(LEVEL_0, 'Allocatable:\n');
      printResourceList(status.allocatable!);
    }
    const info = status.nodeInfo ?? {};
    w.write(LEVEL_0, 'System Info:\n');
    w.write(LEVEL_0, `  Machine ID:\t${info.machineID ?? ''}\n`);
    w.write(LEVEL_0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
    w.write(LEVEL_0, `  Boot ID:\t${info.bootID ?? ''}\n`);
    w.write(LEVEL_0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
    w.write(LEVEL_0, `  OS Image:\t${info.osImage ?? ''}\n`);
    w.write(LEVEL_0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
    w.write(LEVEL_0, `  Architecture:\t${info.architecture ?? ''}\n`);
    w.write(LEVEL_0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
    if (spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
    describeNodeResource(w, pods, node, ctx);
    describeEvents(w, events, ctx);
  });
}

/**
 * The kubelets of all nodes: a pod bound to a node gets an IP (host-local IPAM on the node's
 * podCIDR, or the node's own IP with hostNetwork), its images pulled, its containers created and
 * started, and its status filled in, with the events a kubelet emits (Pulling/Pulled, Created,
 * Started). Containers that keep running make the pod Running and Ready at once; containers that
 * exit end the pod as Succeeded or Failed according to its restartPolicy.
 */
import type { Container, ContainerStatus, Node, Pod } from '../api/types.ts';
import type { Change } from '../store/state.ts';
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../util/ipv4.ts';
import { randomHex } from '../util/random.ts';
import { imageDigest, imageID, imageRepository, imageSize, normalizeImage } from '../runtime/images.ts';
import { runProcess } from '../runtime/process.ts';
import { appendLog } from '../runtime/logs.ts';
import type { ControllerContext } from './context.ts';
import type { Controller } from './reconcile.ts';
import { setPodCondition } from './pod-status.ts';
import { clone } from '../util/clone.ts';

function wantsStart(pod: Pod | undefined): boolean {
  return !!pod && !!pod.spec.nodeName && !pod.status?.startTime && !pod.metadata.deletionTimestamp;
}

export const kubelet: Controller = {
  name: 'kubelet',
  watches: ['pods'],
  keysFor(change: Change): string[] {
    if (change.resource === 'pods' && change.type !== 'DELETED' && wantsStart(change.object as Pod)) {
      return [`${change.namespace}/${change.name}`];
    }
    return [];
  },
  sync(key: string, ctx: ControllerContext): void {
    const [ns, name] = key.split('/');
    const pod = ctx.state.get<Pod>('pods', ns, name);
    if (!wantsStart(pod)) return;
    const node = ctx.state.get<Node>('nodes', '', pod!.spec.nodeName!);
    // No such node: no kubelet will ever run this pod; it stays Pending.
    if (!node) return;
    startPod(ctx, pod!, node);
  },
};

function internalIP(node: Node): string {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
}

/**
 * host-local IPAM: the next free address after the last one handed out on this node, skipping
 * the network address and the gateway (.1) and the broadcast address.
 */
function allocatePodIP(ctx: ControllerContext, node: Node, owner: string): string | undefined {
  const cidr = parseCidr(node.spec?.podCIDR ?? '');
  if (!cidr) return undefined;
  const alloc = ctx.state.meta.alloc;
  const first = cidr.base + 2;
  const last = cidr.base + cidr.size - 2;
  const size = last - first + 1;
  if (size <= 0) return undefined;
  const prev = parseIPv4(alloc.lastPodIP[node.metadata.name!] ?? '');
  const start = prev !== undefined && cidrContains(cidr, prev) ? prev - first + 1 : 0;
  for (let i = 0; i < size; i++) {
    const ip = formatIPv4(first + ((start + i) % size));
    if (alloc.podIPs[ip] === undefined) {
      alloc.podIPs[ip] = owner;
      alloc.lastPodIP[node.metadata.name!] = ip;
      return ip;
    }
  }
  return undefined;
}

/** Image events and the node's image list, as the kubelet's image manager produces them. */
function pullImage(ctx: ControllerContext, pod: Pod, node: Node, c: Container, fieldPath: string): Node {
  const image = c.image ?? '';
  const ref = normalizeImage(image);
  const source = { component: 'kubelet', host: node.metadata.name! };
  const present = (node.status?.images ?? []).some((i) => i.names?.includes(ref));
  const policy = c.imagePullPolicy ?? 'IfNotPresent';
  if (present && policy !== 'Always') {
    ctx.events.record(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, source, fieldPath);
    return node;
  }
  ctx.events.record(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, source, fieldPath);
  const ms = 400 + ctx.rng.int(4600);
  const took = `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
  const size = imageSize(ref);
  ctx.events.record(
    pod,
    'Normal',
    'Pulled',
    `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
    source,
    fieldPath,
  );
  if (present) return node;
  const next = clone(node);
  next.status ??= {};
  next.status.images = [
    ...(next.status.images ?? []),
    { names: [`${imageRepository(ref)}@${imageDigest(ref)}`, ref], sizeBytes: size },
  ];
  return ctx.state.put('nodes', next) as Node;
}

function startPod(ctx: ControllerContext, pod: Pod, nodeIn: Node): void {
  let node = nodeIn;
  // Only metadata (resourceVersion) and status change; the spec is shared with the stored
  // version, which nobody changes in place.
  const next: Pod = { ...pod, metadata: { ...pod.metadata }, status: clone(pod.status ?? {}) };
  const status = next.status!;
  const nodeName = node.metadata.name!;
  const source = { component: 'kubelet', host: nodeName };
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const hostIP = internalIP(node);
  const podIP = next.spec.hostNetwork ? hostIP : allocatePodIP(ctx, node, key);
  if (!podIP) {
    ctx.events.record(pod, 'Warning', 'FailedCreatePodSandBox', 'Failed to create pod sandbox: failed to allocate an IP address: no IP addresses available in range set', source);
    return;
  }

  const now = ctx.nowText;
  const newContainerID = () => `containerd://${randomHex(ctx.rng, 64)}`;
  // Written out field by field (in the kubelet's order) rather than spread: this runs for every
  // container a big apply starts.
  const containerStatus = (c: Container, containerID: string, ready: boolean, started: boolean, state: ContainerStatus['state']): ContainerStatus => {
    const ref = normalizeImage(c.image ?? '');
    return { name: c.name, image: ref, imageID: imageID(ref), containerID, restartCount: 0, lastState: {}, ready, started, state } as ContainerStatus;
  };

  // Init containers run to completion, in order, before the app containers start.
  const initStatuses: ContainerStatus[] = [];
  for (const c of next.spec.initContainers ?? []) {
    const fieldPath = `spec.initContainers{${c.name}}`;
    node = pullImage(ctx, pod, node, c, fieldPath);
    ctx.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, source, fieldPath);
    ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, source, fieldPath);
    initStatuses.push(
      containerStatus(c, newContainerID(), true, false, { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } }),
    );
  }

  const statuses: ContainerStatus[] = [];
  let anyRunning = false;
  let anyFailed = false;
  // the pod as its containers see it: with its addresses
  const started: Pod = { ...next, status: { ...status, podIP, hostIP } };
  for (const c of next.spec.containers) {
    const fieldPath = `spec.containers{${c.name}}`;
    node = pullImage(ctx, pod, node, c, fieldPath);
    ctx.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, source, fieldPath);
    ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, source, fieldPath);
    const containerID = newContainerID();
    const outcome = runProcess(started, c, ctx);
    if (outcome.kind === 'running') {
      anyRunning = true;
      statuses.push(containerStatus(c, containerID, true, true, { running: { startedAt: now } }));
    } else {
      if (outcome.output) appendLog(ctx.state, next, c.name, outcome.output);
      if (outcome.exitCode !== 0) anyFailed = true;
      statuses.push(
        containerStatus(c, containerID, false, false, {
          terminated: {
            exitCode: outcome.exitCode,
            reason: outcome.exitCode === 0 ? 'Completed' : 'Error',
            startedAt: now,
            finishedAt: now,
            containerID,
          },
        }),
      );
    }
  }

  const allReady = statuses.every((s) => s.ready);
  const restartPolicy = next.spec.restartPolicy ?? 'Always';
  let phase: NonNullable<Pod['status']>['phase'] = 'Running';
  if (!anyRunning) {
    if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && !anyFailed)) phase = anyFailed ? 'Failed' : 'Succeeded';
  }

  const cond = (type: string, ok: boolean, reason?: string) => ({
    type,
    status: (ok ? 'True' : 'False') as 'True' | 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
  });
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  setPodCondition(next, cond('PodReadyToStartContainers', !terminal));
  setPodCondition(next, cond('Initialized', true, terminal && phase === 'Succeeded' ? 'PodCompleted' : undefined));
  setPodCondition(next, cond('Ready', allReady && !terminal, terminal ? 'PodCompleted' : allReady ? undefined : 'ContainersNotReady'));
  setPodCondition(next, cond('ContainersReady', allReady && !terminal, terminal ? 'PodCompleted' : allReady ? undefined : 'ContainersNotReady'));
  if (!next.status!.conditions!.some((c) => c.type === 'PodScheduled')) setPodCondition(next, cond('PodScheduled', true));
  // kubelet's condition order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  next.status!.conditions!.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));

  Object.assign(next.status!, {
    phase,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
  });
  ctx.state.put('pods', next);
}

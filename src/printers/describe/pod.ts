/** kubectl describe pod (describePod in staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32). */
import type { Container, Pod } from '../../api/types.ts';
import {
  controllerOf,
  describeEvents,
  formatTime,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
  since,
} from './common.ts';
import { describeContainers, describeResources, describeTopologySpreadConstraints, describeVolumes } from './containers.ts';
import type { DescribeContext } from './context.ts';
import { addQuantity, cmpQuantity, parseQuantity, type Quantity } from './quantity.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './writer.ts';

const QOS_RESOURCES = ['cpu', 'memory'];

/**
 * ComputePodQOS (staging/src/k8s.io/kubectl/pkg/util/qos/qos.go): BestEffort without cpu/memory
 * requests or limits, Guaranteed when every container limits both and requests equal limits,
 * Burstable otherwise. Pod-level resources, when set, replace the containers'.
 */
function computePodQOS(pod: Pod): string {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, list: Record<string, string> | undefined): Set<string> => {
    const found = new Set<string>();
    for (const [name, raw] of Object.entries(list ?? {})) {
      const q = parseQuantity(raw);
      if (!QOS_RESOURCES.includes(name) || !q || q.n <= 0n) continue;
      found.add(name);
      const prev = into.get(name);
      into.set(name, prev ? addQuantity(q, prev) : q);
    }
    return found;
  };
  const podResources = (pod.spec as { resources?: Container['resources'] }).resources;
  if (podResources) {
    add(requests, podResources.requests);
    if (Object.keys(podResources.limits ?? {}).length > 0) {
      const found = add(limits, podResources.limits);
      if (!found.has('memory') || !found.has('cpu')) guaranteed = false;
    }
  } else {
    for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
      add(requests, c.resources?.requests);
      const found = add(limits, c.resources?.limits);
      if (!found.has('memory') || !found.has('cpu')) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || cmpQuantity(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** qos.GetPodQOS: the class recorded in the status, else computed. */
function podQOS(pod: Pod): string {
  return pod.status?.qosClass || computePodQOS(pod);
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export function describePod(pod: Pod, ctx: DescribeContext): string {
  const meta = pod.metadata;
  // kubectl drops the kind from the events query, and looks mirror pods up by their source uid.
  const mirrorUID = meta.annotations?.[MIRROR_POD_ANNOTATION];
  const events = ctx.events({
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: (mirrorUID !== undefined ? mirrorUID : meta.uid) || undefined,
  });
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
    if (!spec.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n');
    else w.write(LEVEL_0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`);
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${formatTime(status.startTime)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, ctx)})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
    const seccomp = spec.securityContext?.seccompProfile as { type?: string; localhostProfile?: string } | undefined;
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
    if (!status.podIPs?.length) {
      w.write(LEVEL_0, 'IPs:\t<none>\n');
    } else {
      w.write(LEVEL_0, 'IPs:\n');
      for (const ip of status.podIPs) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
    }
    const controlledBy = controllerOf(pod);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    const podResources = (spec as { resources?: Container['resources'] }).resources;
    if (podResources) {
      w.write(LEVEL_0, 'Resources:\n');
      describeResources(w, podResources, LEVEL_1);
    }
    if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, pod, '');
    describeContainers(w, 'Containers', spec.containers, status.containerStatuses, pod, '');
    const ephemeral = (spec as { ephemeralContainers?: Container[] }).ephemeralContainers;
    if (ephemeral?.length) {
      const statuses = (status as { ephemeralContainerStatuses?: typeof status.containerStatuses }).ephemeralContainerStatuses;
      describeContainers(w, 'Ephemeral Containers', ephemeral, statuses, pod, '');
    }
    if (spec.readinessGates?.length) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const g of spec.readinessGates) {
        const c = status.conditions?.find((x) => x.type === g.conditionType);
        w.write(LEVEL_1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
      }
    }
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
    }
    describeVolumes(w, spec.volumes, '');
    w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
    describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '');
    describeEvents(w, events, ctx);
  });
}

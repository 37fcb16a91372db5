/**
 * Containers, volumes and pod templates as kubectl describes them (describeContainers,
 * describeVolumes, DescribePodTemplate and their helpers in
 * staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32).
 */
import type { Container, ContainerState, ContainerStatus, Pod, PodTemplateSpec, Probe, Volume } from '../../api/types.ts';
import { formatLabelSelector } from '../../selectors/labels.ts';
import {
  compareStrings,
  formatTime,
  joinHostPort,
  printAnnotationsMultiline,
  printBool,
  printLabelsMultiline,
  printTolerationsMultiline,
  sortedKeys,
  stringOrNone,
} from './common.ts';
import { parseQuantity, quantityMilliValue, quantityString, quantityValue } from './quantity.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.ts';

type ResourceList = Record<string, string>;

/** A quantity as kubectl prints it; text that does not parse is shown as stored. */
export function quantityText(v: unknown): string {
  const q = parseQuantity(v);
  return q ? quantityString(q) : String(v);
}

/** describeResources: `Limits:` / `Requests:` with one line per resource, sorted by name. */
export function describeResources(
  w: PrefixWriter,
  resources: { limits?: ResourceList; requests?: ResourceList } | undefined,
  level: number,
): void {
  if (!resources) return;
  const limits = sortedKeys(resources.limits);
  if (limits.length > 0) w.write(level, 'Limits:\n');
  for (const name of limits) w.write(level + 1, `${name}:\t${quantityText(resources.limits![name])}\n`);
  const requests = sortedKeys(resources.requests);
  if (requests.length > 0) w.write(level, 'Requests:\n');
  for (const name of requests) w.write(level + 1, `${name}:\t${quantityText(resources.requests![name])}\n`);
}

/** Go's %q for the mount subPath (identical to JSON for printable text). */
function goQuoted(s: string): string {
  return JSON.stringify(s);
}

/** Go's url.URL path escaping (encodePath mode). */
function escapePath(path: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(path)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** DescribeProbe. */
function describeProbe(p: Probe): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = String(g.port ?? '');
    const host = port.length > 0 ? joinHostPort(g.host ?? '', port) : (g.host ?? '');
    let path = g.path ?? '';
    if (path !== '' && !path.startsWith('/') && host !== '') path = `/${path}`;
    const scheme = (g.scheme ?? '').toLowerCase();
    return `http-get ${scheme ? `${scheme}:` : ''}//${host}${escapePath(path)} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: PrefixWriter, name: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(LEVEL_2, `${name}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${formatTime(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${formatTime(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${formatTime(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
  }
}

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

interface EnvVarSource {
  fieldRef?: { apiVersion?: string; fieldPath?: string };
  resourceFieldRef?: { containerName?: string; resource?: string; divisor?: unknown };
  configMapKeyRef?: KeyRef;
  secretKeyRef?: KeyRef;
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

/**
 * EnvValueRetriever: kubectl converts the field label with its client scheme, which only knows
 * metadata.name and metadata.namespace, so every other field path resolves to an empty value.
 */
function resolveFieldRef(pod: Pod | null, fieldPath: string | undefined): string {
  if (!pod) return '';
  if (fieldPath === 'metadata.name') return pod.metadata.name ?? '';
  if (fieldPath === 'metadata.namespace') return pod.metadata.namespace ?? '';
  return '';
}

/**
 * ExtractContainerResourceValue (staging/src/k8s.io/kubectl/pkg/util/resource/resource.go): the
 * container's own request or limit divided by the divisor, rounded up; '' for other resources.
 */
function containerResourceValue(container: Container, ref: NonNullable<EnvVarSource['resourceFieldRef']>): string {
  const given = ref.divisor === undefined ? undefined : parseQuantity(ref.divisor);
  const divisor = given && given.n !== 0n ? given : parseQuantity('1')!;
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(ref.resource ?? '');
  if (!m) return '';
  const list = m[1] === 'limits' ? container.resources?.limits : container.resources?.requests;
  const q = parseQuantity(list?.[m[2]] ?? '0') ?? parseQuantity('0')!;
  const ratio =
    m[2] === 'cpu'
      ? Number(quantityMilliValue(q)) / Number(quantityMilliValue(divisor))
      : Number(quantityValue(q)) / Number(quantityValue(divisor));
  return String(Math.ceil(ratio));
}

function describeEnvFrom(w: PrefixWriter, container: Container): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const raw of container.envFrom ?? []) {
    const e = raw as EnvFromSource;
    let from = '';
    let name = '';
    let optional = false;
    if (e.configMapRef) {
      from = 'ConfigMap';
      name = e.configMapRef.name ?? '';
      optional = e.configMapRef.optional === true;
    } else if (e.secretRef) {
      from = 'Secret';
      name = e.secretRef.name ?? '';
      optional = e.secretRef.optional === true;
    }
    if (!e.prefix) w.write(LEVEL_3, `${name}\t${from}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${name}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function describeEnv(w: PrefixWriter, container: Container, pod: Pod | null): void {
  const env = container.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom as EnvVarSource | undefined;
    if (!from) {
      (e.value ?? '').split('\n').forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    if (from.fieldRef) {
      const value = resolveFieldRef(pod, from.fieldRef.fieldPath);
      w.write(LEVEL_3, `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath ?? ''})\n`);
    } else if (from.resourceFieldRef) {
      let value = containerResourceValue(container, from.resourceFieldRef);
      const resource = from.resourceFieldRef.resource ?? '';
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key ?? ''}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key ?? ''}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

function describeMounts(w: PrefixWriter, container: Container): void {
  const mounts = [...(container.volumeMounts ?? [])].sort((a, b) => compareStrings(a.mountPath, b.mountPath));
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(LEVEL_2, `Mounts:${none}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${goQuoted(m.subPath)}`);
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices = (container as { volumeDevices?: { name: string; devicePath: string }[] }).volumeDevices ?? [];
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`);
    for (const d of [...devices].sort((a, b) => compareStrings(a.devicePath, b.devicePath))) {
      w.write(LEVEL_3, `${d.devicePath} from ${d.name}\n`);
    }
  }
}

interface SeccompProfile {
  type?: string;
  localhostProfile?: string;
}

function seccompOf(securityContext: Record<string, unknown> | undefined): SeccompProfile | undefined {
  return securityContext?.seccompProfile as SeccompProfile | undefined;
}

/**
 * describeContainers. `pod` resolves field references (null for pod templates); `space` is the
 * template indent ("  "), which also shifts container names by one space.
 */
export function describeContainers(
  w: PrefixWriter,
  label: string,
  containers: Container[] | undefined,
  statuses: ContainerStatus[] | undefined,
  pod: Pod | null,
  space: string,
): void {
  const list = containers ?? [];
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(LEVEL_0, `${space}${label}:${list.length === 0 ? ' <none>' : ''}\n`);
  for (const c of list) {
    const status = byName.get(c.name);
    w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
    if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
    if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ');
    if (ports.includes(',')) w.write(LEVEL_2, `Ports:\t${ports}\n`);
    else w.write(LEVEL_2, `Port:\t${stringOrNone(ports)}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
    if (hostPorts.includes(',')) w.write(LEVEL_2, `Host Ports:\t${hostPorts}\n`);
    else w.write(LEVEL_2, `Host Port:\t${stringOrNone(hostPorts)}\n`);
    const seccomp = seccompOf(c.securityContext);
    if (seccomp) {
      w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
      if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    if (c.command?.length) {
      w.write(LEVEL_2, 'Command:\n');
      for (const s of c.command.flatMap((x) => x.split('\n'))) w.write(LEVEL_3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(LEVEL_2, 'Args:\n');
      for (const s of c.args.flatMap((x) => x.split('\n'))) w.write(LEVEL_3, `${s}\n`);
    }
    if (status) {
      describeState(w, 'State', status.state);
      if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState);
      w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
      w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    describeResources(w, c.resources, LEVEL_2);
    if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (c.envFrom?.length) describeEnvFrom(w, c);
    describeEnv(w, c, pod);
    describeMounts(w, c);
  }
}

type Source = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const bool = (v: unknown) => String(v === true);

/** Go's %v of a *bool: kubectl prints the pointer itself, so only nil has a stable text. */
function boolPointer(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : String(v);
}

/** A volume's `Type:` line and its fields, all at the volume's detail level. */
function volumeFields(w: PrefixWriter, type: string, fields: [string, string][]): void {
  w.write(LEVEL_2, `Type:\t${type}\n`);
  for (const [label, value] of fields) w.write(LEVEL_2, `${label}:\t${value}\n`);
}

function printVolumeSource(w: PrefixWriter, volume: Volume): void {
  const v = volume as Record<string, Source | undefined>;
  if (v.hostPath) {
    const type = v.hostPath.type === undefined || v.hostPath.type === null ? '<none>' : str(v.hostPath.type);
    volumeFields(w, 'HostPath (bare host directory volume)', [
      ['Path', str(v.hostPath.path)],
      ['HostPathType', type],
    ]);
  } else if (v.emptyDir) {
    const limit = v.emptyDir.sizeLimit === undefined ? undefined : parseQuantity(v.emptyDir.sizeLimit);
    volumeFields(w, "EmptyDir (a temporary directory that shares a pod's lifetime)", [
      ['Medium', str(v.emptyDir.medium)],
      ['SizeLimit', limit && limit.n > 0n ? quantityString(limit) : '<unset>'],
    ]);
  } else if (v.gitRepo) {
    volumeFields(w, 'GitRepo (a volume that is pulled from git when the pod is created)', [
      ['Repository', str(v.gitRepo.repository)],
      ['Revision', str(v.gitRepo.revision)],
    ]);
  } else if (v.secret) {
    volumeFields(w, 'Secret (a volume populated by a Secret)', [
      ['SecretName', str(v.secret.secretName)],
      ['Optional', bool(v.secret.optional)],
    ]);
  } else if (v.configMap) {
    volumeFields(w, 'ConfigMap (a volume populated by a ConfigMap)', [
      ['Name', str(v.configMap.name)],
      ['Optional', bool(v.configMap.optional)],
    ]);
  } else if (v.nfs) {
    volumeFields(w, 'NFS (an NFS mount that lasts the lifetime of a pod)', [
      ['Server', str(v.nfs.server)],
      ['Path', str(v.nfs.path)],
      ['ReadOnly', bool(v.nfs.readOnly)],
    ]);
  } else if (v.persistentVolumeClaim) {
    volumeFields(w, 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [
      ['ClaimName', str(v.persistentVolumeClaim.claimName)],
      ['ReadOnly', bool(v.persistentVolumeClaim.readOnly)],
    ]);
  } else if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n');
    w.write(LEVEL_2, 'Items:\n');
    for (const item of (v.downwardAPI.items ?? []) as Source[]) {
      const fieldRef = item.fieldRef as Source | undefined;
      const resourceFieldRef = item.resourceFieldRef as Source | undefined;
      if (fieldRef) w.write(LEVEL_3, `${str(fieldRef.fieldPath)} -> ${str(item.path)}\n`);
      if (resourceFieldRef) w.write(LEVEL_3, `${str(resourceFieldRef.resource)} -> ${str(item.path)}\n`);
    }
  } else if (v.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const source of (v.projected.sources ?? []) as Source[]) {
      const secret = source.secret as Source | undefined;
      const configMap = source.configMap as Source | undefined;
      const token = source.serviceAccountToken as Source | undefined;
      if (secret) {
        w.write(LEVEL_2, `SecretName:\t${str(secret.name)}\n`);
        w.write(LEVEL_2, `SecretOptionalName:\t${boolPointer(secret.optional)}\n`);
      } else if (source.downwardAPI) {
        w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      } else if (configMap) {
        w.write(LEVEL_2, `ConfigMapName:\t${str(configMap.name)}\n`);
        w.write(LEVEL_2, `ConfigMapOptional:\t${boolPointer(configMap.optional)}\n`);
      } else if (token) {
        w.write(LEVEL_2, `TokenExpirationSeconds:\t${str(token.expirationSeconds ?? 0)}\n`);
      }
    }
  } else if (v.csi) {
    volumeFields(w, 'CSI (a Container Storage Interface (CSI) volume source)', [
      ['Driver', str(v.csi.driver)],
      ['FSType', str(v.csi.fsType)],
      ['ReadOnly', bool(v.csi.readOnly)],
    ]);
    // printCSIPersistentVolumeAttributesMultiline: each value sits one level deeper than its label.
    const attrs = (v.csi.volumeAttributes ?? {}) as Record<string, string>;
    w.write(LEVEL_2, 'VolumeAttributes:\t');
    const keys = sortedKeys(attrs);
    if (keys.length === 0) w.write(LEVEL_0, '<none>\n');
    keys.forEach((key, i) => {
      if (i !== 0) w.write(LEVEL_2, '\t');
      const line = `${key}=${attrs[key]}`;
      w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
    });
  } else {
    w.write(LEVEL_1, '<unknown>\n');
  }
}

/** describeVolumes; `space` is the pod template indent. */
export function describeVolumes(w: PrefixWriter, volumes: Volume[] | undefined, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const volume of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${volume.name}:\n`);
    printVolumeSource(w, volume);
  }
}

interface TopologySpreadConstraint {
  topologyKey?: string;
  whenUnsatisfiable?: string;
  maxSkew?: number;
  labelSelector?: Parameters<typeof formatLabelSelector>[0];
}

/** describeTopologySpreadConstraints: sorted by topology key, one constraint per line. */
export function describeTopologySpreadConstraints(w: PrefixWriter, raw: Record<string, unknown>[] | undefined, space: string): void {
  const list = [...((raw ?? []) as TopologySpreadConstraint[])].sort((a, b) => compareStrings(a.topologyKey ?? '', b.topologyKey ?? ''));
  if (list.length === 0) return;
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  list.forEach((tsc, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`);
    let line = `${tsc.topologyKey ?? ''}:${tsc.whenUnsatisfiable ?? ''} when max skew ${tsc.maxSkew ?? 0} is exceeded`;
    if (tsc.labelSelector) line += ` for selector ${formatLabelSelector(tsc.labelSelector)}`;
    w.write(LEVEL_0, `${line}\n`);
  });
}

/** DescribePodTemplate (Deployment, ReplicaSet); a missing template prints as an empty one. */
export function describePodTemplate(w: PrefixWriter, template: PodTemplateSpec | undefined): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  const spec = template?.spec ?? { containers: [] };
  const meta = template?.metadata;
  printLabelsMultiline(w, '  Labels', meta?.labels);
  if (Object.keys(meta?.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', meta?.annotations);
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, null, '  ');
  describeContainers(w, 'Containers', spec.containers, undefined, null, '  ');
  describeVolumes(w, spec.volumes, '  ');
  describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

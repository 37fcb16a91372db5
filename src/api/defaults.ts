/**
 * What the API server adds to an object it decodes, for create and update: the v1 defaulting
 * functions (kubernetes/kubernetes pkg/apis/{core,apps,discovery,networking}/v1/defaults.go and
 * their generated zz_generated.defaults.go, v1.32), the v1 conversion of the deprecated
 * `serviceAccount` field, and the zero values the Go structs always encode (a container's
 * `resources: {}`, a template's `creationTimestamp: null`, ...), so that stored objects read
 * back the way a real cluster returns them.
 *
 * admitPod adds what a kubeadm cluster's admission plugins add to a new Pod.
 */
import { canonicalApiVersion } from './registry.ts';
import type { KObject, Pod } from './types.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** obj[key] as an object, created when absent. */
function child(obj: Obj, key: string): Obj {
  if (!isObj(obj[key])) obj[key] = {};
  return obj[key] as Obj;
}

function setIfEmpty(obj: Obj, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

/**
 * Apply the API server's defaulting to `obj` in place, by apiVersion/kind. The apiVersion is first
 * written the way the server stores it: its decoder reads `/v1` as the core v1 API and fills an
 * empty version from the endpoint, so such objects are defaulted, validated and stored as v1.
 */
export function applyDefaults(obj: KObject): void {
  obj.apiVersion = canonicalApiVersion(obj.apiVersion, obj.kind);
  switch (`${obj.apiVersion}/${obj.kind}`) {
    case 'v1/Pod':
      defaultPod(obj);
      break;
    case 'v1/Service':
      defaultService(obj);
      break;
    case 'v1/Endpoints':
      for (const subset of list(obj.subsets)) for (const port of list(subset.ports)) setIfEmpty(port, 'protocol', 'TCP');
      break;
    case 'discovery.k8s.io/v1/EndpointSlice':
      // SetDefaults_EndpointPort; `endpoints` and `ports` have no omitempty, so nil encodes as null.
      for (const port of list(obj.ports)) {
        if (port.name === undefined || port.name === null) port.name = '';
        setIfEmpty(port, 'protocol', 'TCP');
      }
      if (obj.endpoints === undefined) obj.endpoints = null;
      if (obj.ports === undefined) obj.ports = null;
      break;
    case 'v1/Namespace':
      defaultNamespace(obj);
      break;
    case 'v1/Node': {
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      const status = obj.status;
      if (isObj(status) && isObj(status.capacity) && status.allocatable === undefined) {
        status.allocatable = { ...status.capacity };
      }
      break;
    }
    case 'apps/v1/Deployment':
      defaultDeployment(obj);
      break;
    case 'apps/v1/ReplicaSet': {
      const spec = child(obj, 'spec');
      setIfEmpty(spec, 'replicas', 1);
      if (isObj(spec.template)) defaultTemplate(spec.template);
      break;
    }
    case 'networking.k8s.io/v1/Ingress':
      for (const rule of list(child(obj, 'spec').rules)) {
        if (isObj(rule.http)) for (const path of list(rule.http.paths)) backendZeroValues(path.backend);
      }
      backendZeroValues(child(obj, 'spec').defaultBackend);
      child(child(obj, 'status'), 'loadBalancer');
      break;
    case 'networking.k8s.io/v1/IngressClass': {
      // SetDefaults_IngressClass
      const spec = obj.spec;
      if (isObj(spec) && isObj(spec.parameters)) setIfEmpty(spec.parameters, 'scope', 'Cluster');
      break;
    }
    case 'v1/Event':
      defaultEvent(obj);
      break;
  }
}

/** An Ingress backend's service port is a struct, encoded even when empty. */
function backendZeroValues(backend: unknown): void {
  if (isObj(backend) && isObj(backend.service)) child(backend.service, 'port');
}

function defaultService(svc: Obj): void {
  const spec = child(svc, 'spec');
  setIfEmpty(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    if (!isObj(cfg) || !isObj(cfg.clientIP) || cfg.clientIP.timeoutSeconds == null) {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
    }
  }
  setIfEmpty(spec, 'type', 'ClusterIP');
  // encoding/json decodes a null list item into a zero ServicePort, which is then defaulted
  // and validated like any port left empty.
  if (Array.isArray(spec.ports)) spec.ports = spec.ports.map((port: unknown) => (port === null ? {} : port));
  for (const port of list(spec.ports)) {
    setIfEmpty(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }
  // service.ExternallyAccessible (pkg/api/v1/service/util.go)
  const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  const externallyAccessible =
    spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && externalIPs.length > 0);
  if (externallyAccessible) setIfEmpty(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type as string)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  const status = child(svc, 'status');
  const lb = child(status, 'loadBalancer');
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
    // LoadBalancerIPMode is on by default in v1.32.
    for (const ing of list(lb.ingress)) if (ing.ip && ing.ipMode == null) ing.ipMode = 'VIP';
  }
}

function defaultNamespace(ns: Obj): void {
  // SetDefaults_Namespace: not for generateName-only namespaces.
  const meta = child(ns, 'metadata');
  if (typeof meta.name === 'string' && meta.name) child(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
  // namespaceStrategy.PrepareForCreate requires the `kubernetes` finalizer.
  const spec = child(ns, 'spec');
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
  if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
  setIfEmpty(child(ns, 'status'), 'phase', 'Active');
}

function defaultDeployment(d: Obj): void {
  const spec = child(d, 'spec');
  setIfEmpty(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setIfEmpty(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setIfEmpty(ru, 'maxUnavailable', '25%');
    setIfEmpty(ru, 'maxSurge', '25%');
  }
  setIfEmpty(spec, 'revisionHistoryLimit', 10);
  setIfEmpty(spec, 'progressDeadlineSeconds', 600);
  if (isObj(spec.template)) defaultTemplate(spec.template);
}

function defaultTemplate(template: Obj): void {
  // The template's ObjectMeta.creationTimestamp is a struct: its zero value encodes as null.
  const meta = child(template, 'metadata');
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  defaultPodSpec(child(template, 'spec'));
}

function defaultEvent(ev: Obj): void {
  // Fields without omitempty, or structs, that core/v1 Event always encodes.
  for (const key of ['firstTimestamp', 'lastTimestamp', 'eventTime']) if (ev[key] === undefined) ev[key] = null;
  child(ev, 'involvedObject');
  child(ev, 'source');
  if (ev.reportingComponent === undefined) ev.reportingComponent = '';
  if (ev.reportingInstance === undefined) ev.reportingInstance = '';
}

function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  // SetDefaults_Pod: requests default to limits, per container.
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const res = child(c, 'resources');
    if (isObj(res.limits)) {
      const requests = child(res, 'requests');
      for (const [k, v] of Object.entries(res.limits)) if (!(k in requests)) requests[k] = v;
    }
  }
  if (spec.enableServiceLinks == null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
      for (const p of list(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

/** SetDefaults_PodSpec plus the generated defaults of everything inside a PodSpec. */
function defaultPodSpec(spec: Obj): void {
  // Convert_v1_PodSpec_To_core_PodSpec / back: serviceAccount mirrors serviceAccountName.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;

  setIfEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  setIfEmpty(spec, 'restartPolicy', 'Always');
  if (spec.securityContext == null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds == null) spec.terminationGracePeriodSeconds = 30;
  setIfEmpty(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of list(spec[key])) defaultContainer(c);
  }
  for (const v of list(spec.volumes)) defaultVolume(v);
}

function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(String(c.image ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  setIfEmpty(c, 'terminationMessagePath', '/dev/termination-log');
  setIfEmpty(c, 'terminationMessagePolicy', 'File');
  for (const p of list(c.ports)) setIfEmpty(p, 'protocol', 'TCP');
  for (const e of list(c.env)) {
    if (isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) setIfEmpty(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = c[key];
    if (!isObj(probe)) continue;
    for (const [field, value] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) {
      if (!probe[field]) probe[field] = value;
    }
    defaultHandler(probe);
    if (isObj(probe.grpc) && probe.grpc.service == null) probe.grpc.service = '';
  }
  if (isObj(c.lifecycle)) {
    for (const key of ['postStart', 'preStop']) if (isObj(c.lifecycle[key])) defaultHandler(c.lifecycle[key] as Obj);
  }
  // `resources` is a struct, not a pointer: an empty one still encodes as {}.
  child(c, 'resources');
}

function defaultHandler(handler: Obj): void {
  // SetDefaults_HTTPGetAction
  if (isObj(handler.httpGet)) {
    setIfEmpty(handler.httpGet, 'path', '/');
    setIfEmpty(handler.httpGet, 'scheme', 'HTTP');
  }
}

/**
 * The tag parsers.ParseImageName reports: `latest` when none is given, none for a digest-only
 * reference or one that does not parse (the empty image).
 */
function imageTag(image: string): string {
  if (!image) return '';
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > lastSlash) return ref.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function defaultVolume(v: Obj): void {
  // SetDefaults_Volume: a volume without a source is an emptyDir.
  if (!VOLUME_SOURCES.some((s) => v[s] != null)) v.emptyDir = {};
  if (isObj(v.hostPath)) setIfEmpty(v.hostPath, 'type', '');
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObj(v[key]) && (v[key] as Obj).defaultMode == null) (v[key] as Obj).defaultMode = 420;
  }
  if (isObj(v.downwardAPI)) defaultFieldRefs(v.downwardAPI.items);
  if (isObj(v.projected)) {
    for (const source of list(v.projected.sources)) {
      if (isObj(source.downwardAPI)) defaultFieldRefs(source.downwardAPI.items);
      if (isObj(source.serviceAccountToken) && source.serviceAccountToken.expirationSeconds == null) {
        source.serviceAccountToken.expirationSeconds = 3600;
      }
    }
  }
  if (isObj(v.iscsi)) setIfEmpty(v.iscsi, 'iscsiInterface', 'default');
  if (isObj(v.rbd)) {
    setIfEmpty(v.rbd, 'pool', 'rbd');
    setIfEmpty(v.rbd, 'user', 'admin');
    setIfEmpty(v.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (isObj(v.azureDisk)) {
    setIfEmpty(v.azureDisk, 'cachingMode', 'ReadWrite');
    setIfEmpty(v.azureDisk, 'fsType', 'ext4');
    if (v.azureDisk.readOnly == null) v.azureDisk.readOnly = false;
    setIfEmpty(v.azureDisk, 'kind', 'Shared');
  }
  if (isObj(v.scaleIO)) {
    setIfEmpty(v.scaleIO, 'storageMode', 'ThinProvisioned');
    setIfEmpty(v.scaleIO, 'fsType', 'xfs');
  }
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate)) {
    setIfEmpty(child(v.ephemeral.volumeClaimTemplate, 'spec'), 'volumeMode', 'Filesystem');
  }
  if (isObj(v.image) && !v.image.pullPolicy) {
    v.image.pullPolicy = imageTag(String(v.image.reference ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
  }
}

function defaultFieldRefs(items: unknown): void {
  for (const item of list(items)) if (isObj(item.fieldRef)) setIfEmpty(item.fieldRef, 'apiVersion', 'v1');
}

// ------------------------------------------------------------------ admission

const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The ServiceAccount admission plugin's token volume: this prefix and 5 random characters. */
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';

/** The built-in PriorityClasses (pkg/apis/scheduling: SystemPriorityClasses). */
const SYSTEM_PRIORITIES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/**
 * What a kubeadm cluster's admission plugins add to a new Pod, after defaulting:
 * ServiceAccount (plugin/pkg/admission/serviceaccount), DefaultTolerationSeconds and Priority
 * (plugin/pkg/admission/{defaulttolerationseconds,priority}). `tokenVolumeSuffix` is the 5
 * random characters of the `kube-api-access-` volume name.
 *
 * Returns the reason the Priority plugin forbids the pod (the server answers
 * `pods "<name>" is forbidden: <reason>`), or undefined when it is admitted. Whether the named
 * ServiceAccount exists is for the caller to check.
 */
export function admitPod(pod: Pod, opts: { tokenVolumeSuffix: string }): string | undefined {
  const spec = pod.spec as unknown as Obj;
  const annotations = pod.metadata.annotations ?? {};
  // Mirror pods (static pods seen through the API) are left alone by the ServiceAccount plugin.
  if (!('kubernetes.io/config.mirror' in annotations)) {
    if (!spec.serviceAccountName) spec.serviceAccountName = 'default';
    spec.serviceAccount = spec.serviceAccountName;
    if (spec.automountServiceAccountToken !== false) mountServiceAccountToken(spec, opts.tokenVolumeSuffix);
  }

  // DefaultTolerationSeconds: tolerate not-ready / unreachable nodes for 300s unless already covered.
  const tolerations = list(spec.tolerations);
  const covers = (key: string) =>
    tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const added: Obj[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!covers(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  if (added.length) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];

  // Priority: without a class, no default PriorityClass exists in a fresh cluster → 0.
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  if (className && !(className in SYSTEM_PRIORITIES)) return `no PriorityClass with name ${className} was found`;
  const priority = className ? SYSTEM_PRIORITIES[className] : 0;
  if (typeof spec.priority === 'number' && spec.priority !== priority) {
    return `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`;
  }
  spec.priority = priority;
  if (spec.preemptionPolicy && spec.preemptionPolicy !== 'PreemptLowerPriority') {
    return `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name`;
  }
  spec.preemptionPolicy = 'PreemptLowerPriority';
  return undefined;
}

function mountServiceAccountToken(spec: Obj, suffix: string): void {
  const volumes = list(spec.volumes);
  const existing = volumes.find((v) => typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing ? (existing.name as string) : TOKEN_VOLUME_PREFIX + suffix;
  let needsVolume = false;
  for (const key of ['initContainers', 'containers']) {
    for (const c of list(spec[key])) {
      const mounts = list(c.volumeMounts);
      // An existing mount at the token path keeps the plugin's mount out.
      if (mounts.some((m) => m.mountPath === SA_MOUNT_PATH)) continue;
      c.volumeMounts = [...(Array.isArray(c.volumeMounts) ? c.volumeMounts : []), { name: volumeName, readOnly: true, mountPath: SA_MOUNT_PATH }];
      needsVolume = true;
    }
  }
  if (existing || !needsVolume) return;
  spec.volumes = [
    ...(Array.isArray(spec.volumes) ? spec.volumes : []),
    {
      name: volumeName,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    },
  ];
}

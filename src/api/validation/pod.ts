/**
 * Pod, PodSpec and pod template validation (kubernetes/kubernetes
 * pkg/apis/core/validation/validation.go: ValidatePodSpec, validateContainers,
 * validateContainerPorts, ValidateEnv, validateProbe, ValidateResourceRequirements,
 * ValidateVolumes, ValidateTolerations, ValidatePodUpdate), for the fields kfake's users write.
 */
import { FieldError, fieldErr, GoValue } from '../errors.ts';
import { isValidLabelValue, isValidPortName, isValidPortNum } from '../names.ts';
import {
  dns1123Label,
  isObj,
  nameIsDNSSubdomain,
  nonNegative,
  notFound,
  num,
  objects,
  qualifiedName,
  str,
  strings,
  type Obj,
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './common.ts';
import { compareQuantity, isWholeQuantity, parseQuantity, quantityString } from './quantity.ts';
import { validatePortNumOrName } from './service.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_INT32 = 2147483647;

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

// ------------------------------------------------------------------ volumes

function validateVolumeSource(vol: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const source of VOLUME_SOURCES) {
    if (vol[source] == null) continue;
    if (count > 0) {
      errs.push(fieldErr.forbidden(`${path}.${source}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const src = isObj(vol[source]) ? (vol[source] as Obj) : {};
    const sub = `${path}.${source}`;
    switch (source) {
      case 'hostPath':
        if (!str(src.path)) errs.push(fieldErr.required(`${sub}.path`));
        break;
      case 'secret':
        if (!str(src.secretName)) errs.push(fieldErr.required(`${sub}.secretName`));
        break;
      case 'configMap':
        if (!str(src.name)) errs.push(fieldErr.required(`${sub}.name`));
        break;
      case 'persistentVolumeClaim':
        if (!str(src.claimName)) errs.push(fieldErr.required(`${sub}.claimName`));
        break;
      case 'nfs':
        if (!str(src.server)) errs.push(fieldErr.required(`${sub}.server`));
        if (!str(src.path)) errs.push(fieldErr.required(`${sub}.path`));
        else if (!str(src.path).startsWith('/')) errs.push(fieldErr.invalid(`${sub}.path`, str(src.path), 'must be an absolute path'));
        break;
    }
  }
  if (count === 0) errs.push(fieldErr.required(path, 'must specify a volume type'));
  return errs;
}

/** ValidateVolumes: returns the names of the valid volumes, for the mounts to refer to. */
function validateVolumes(volumes: unknown, path: string): [Set<string>, FieldError[]] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objects(volumes).forEach((vol, i) => {
    const idx = `${path}[${i}]`;
    const el = validateVolumeSource(vol, idx);
    const name = str(vol.name);
    if (!name) el.push(fieldErr.required(`${idx}.name`));
    else el.push(...dns1123Label(name, `${idx}.name`));
    if (names.has(name)) el.push(fieldErr.duplicate(`${idx}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return [names, errs];
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  objects(mounts).forEach((m, i) => {
    const idx = `${path}[${i}]`;
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) errs.push(fieldErr.required(`${idx}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${idx}.name`, name));
    if (!mountPath) errs.push(fieldErr.required(`${idx}.mountPath`));
    if (mountPaths.has(mountPath)) errs.push(fieldErr.invalid(`${idx}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    const subPath = str(m.subPath);
    if (subPath) {
      if (subPath.startsWith('/')) errs.push(fieldErr.invalid(`${path}.subPath`, subPath, 'must be a relative path'));
      if (subPath.split('/').includes('..')) errs.push(fieldErr.invalid(`${path}.subPath`, subPath, "must not contain '..'"));
    }
  });
  return errs;
}

// ------------------------------------------------------------------ containers

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objects(ports).forEach((port, i) => {
    const idx = `${path}[${i}]`;
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const msg of msgs) errs.push(fieldErr.invalid(`${idx}.name`, name, msg));
      else if (names.has(name)) errs.push(fieldErr.duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort);
    if (containerPort === 0) errs.push(fieldErr.required(`${idx}.containerPort`));
    else for (const msg of isValidPortNum(containerPort)) errs.push(fieldErr.invalid(`${idx}.containerPort`, containerPort, msg));
    const hostPort = num(port.hostPort);
    if (hostPort !== 0) for (const msg of isValidPortNum(hostPort)) errs.push(fieldErr.invalid(`${idx}.hostPort`, hostPort, msg));
    const protocol = str(port.protocol);
    if (!protocol) errs.push(fieldErr.required(`${idx}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) errs.push(fieldErr.notSupported(`${idx}.protocol`, protocol, PROTOCOLS));
  });
  return errs;
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on by default in v1.32). */
function envVarNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (!name) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(env).forEach((ev, i) => {
    const idx = `${path}[${i}]`;
    const name = str(ev.name);
    if (!name) errs.push(fieldErr.required(`${idx}.name`));
    for (const msg of envVarNameErrors(name)) errs.push(fieldErr.invalid(`${idx}.name`, name, msg));
    if (!isObj(ev.valueFrom)) return;
    const from = ev.valueFrom;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] != null);
    const vf = `${idx}.valueFrom`;
    if (sources.length === 0) {
      errs.push(fieldErr.invalid(vf, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    } else if (str(ev.value)) {
      errs.push(fieldErr.invalid(vf, '', 'may not be specified when `value` is not empty'));
    } else if (sources.length > 1) {
      errs.push(fieldErr.invalid(vf, '', 'may not have more than one field specified at a time'));
    }
    for (const key of ['configMapKeyRef', 'secretKeyRef']) {
      if (!isObj(from[key])) continue;
      const ref = from[key] as Obj;
      if (!str(ref.name)) errs.push(fieldErr.required(`${vf}.${key}.name`));
      if (!str(ref.key)) errs.push(fieldErr.required(`${vf}.${key}.key`));
    }
    if (isObj(from.fieldRef)) {
      if (!str(from.fieldRef.fieldPath)) errs.push(fieldErr.required(`${vf}.fieldRef.fieldPath`));
      if (!str(from.fieldRef.apiVersion)) errs.push(fieldErr.required(`${vf}.fieldRef.apiVersion`));
    }
    if (isObj(from.resourceFieldRef) && !str(from.resourceFieldRef.resource)) {
      errs.push(fieldErr.required(`${vf}.resourceFieldRef.resource`));
    }
  });
  return errs;
}

function validateHandler(handler: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep']) {
    const h = handler[kind];
    if (!isObj(h)) continue;
    if (count > 0) {
      errs.push(fieldErr.forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const sub = `${path}.${kind}`;
    switch (kind) {
      case 'exec':
        if (strings(h.command).length === 0) errs.push(fieldErr.required(`${sub}.command`));
        break;
      case 'httpGet':
        if (!str(h.path)) errs.push(fieldErr.required(`${sub}.path`));
        errs.push(...validatePortNumOrName(h.port, `${sub}.port`));
        if (!['HTTP', 'HTTPS'].includes(str(h.scheme))) errs.push(fieldErr.notSupported(`${sub}.scheme`, str(h.scheme), ['HTTP', 'HTTPS']));
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(h.port, `${sub}.port`));
        break;
      case 'grpc':
        for (const msg of isValidPortNum(num(h.port))) errs.push(fieldErr.invalid(`${sub}.port`, num(h.port), msg));
        break;
      case 'sleep': {
        const seconds = num(h.seconds);
        if (seconds <= 0) errs.push(fieldErr.invalid(`${sub}.seconds`, seconds, 'must be greater than 0'));
        break;
      }
    }
  }
  if (count === 0) errs.push(fieldErr.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, kind: 'liveness' | 'readiness' | 'startup', path: string): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(num(probe[field]), `${path}.${field}`));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) {
    errs.push(fieldErr.invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  }
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds != null) {
    errs.push(fieldErr.invalid(`${path}.terminationGracePeriodSeconds`, num(tgps), 'must not be set for readinessProbes'));
  }
  if (kind !== 'readiness' && num(probe.successThreshold) !== 1) {
    errs.push(fieldErr.invalid(`${path}.successThreshold`, num(probe.successThreshold), 'must be 1'));
  }
  return errs;
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** helper.IsNativeResource: unprefixed, or in the kubernetes.io domain. */
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
/** helper.IsOvercommitAllowed. */
const overcommitAllowed = (name: string) => isNative(name) && !name.startsWith('hugepages-');
/** helper.IsIntegerResourceName, for container resources: extended resources are whole numbers. */
const isIntegerResource = (name: string) => !isNative(name) && !name.startsWith('requests.');

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = qualifiedName(name, path);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
      errs.push(fieldErr.invalid(path, name, 'must be a standard resource for containers'));
    }
  }
  return errs;
}

function validateQuantityValue(name: string, raw: unknown, path: string): FieldError[] {
  const q = parseQuantity(raw);
  if (!q) return [];
  const errs: FieldError[] = [];
  if (q.mantissa < 0n) errs.push(fieldErr.invalid(path, quantityString(q), 'must be greater than or equal to 0'));
  if (isIntegerResource(name) && !isWholeQuantity(q)) errs.push(fieldErr.invalid(path, new GoValue(quantityString(q)), 'must be an integer'));
  return errs;
}

/** ValidateResourceRequirements; resource names in sorted order (Go's map order is random). */
function validateResources(resources: unknown, path: string): FieldError[] {
  if (!isObj(resources)) return [];
  const errs: FieldError[] = [];
  const limits = isObj(resources.limits) ? resources.limits : {};
  const requests = isObj(resources.requests) ? resources.requests : {};
  for (const name of Object.keys(limits).sort()) {
    const p = `${path}.limits[${name}]`;
    errs.push(...validateResourceName(name, p), ...validateQuantityValue(name, limits[name], p));
  }
  for (const name of Object.keys(requests).sort()) {
    const p = `${path}.requests[${name}]`;
    errs.push(...validateResourceName(name, p), ...validateQuantityValue(name, requests[name], p));
    const req = parseQuantity(requests[name]);
    const lim = name in limits ? parseQuantity(limits[name]) : undefined;
    if (req && lim) {
      const cmp = compareQuantity(req, lim);
      if (cmp !== 0 && !overcommitAllowed(name)) {
        errs.push(fieldErr.invalid(`${path}.requests`, quantityString(req), `must be equal to ${name} limit of ${quantityString(lim)}`));
      } else if (cmp > 0) {
        errs.push(fieldErr.invalid(`${path}.requests`, quantityString(req), `must be less than or equal to ${name} limit of ${quantityString(lim)}`));
      }
    } else if (!(name in limits) && !overcommitAllowed(name)) {
      errs.push(fieldErr.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

function validatePullPolicy(policy: string, path: string): FieldError[] {
  if (['Always', 'IfNotPresent', 'Never'].includes(policy)) return [];
  if (!policy) return [fieldErr.required(path)];
  return [fieldErr.notSupported(path, policy, ['Always', 'IfNotPresent', 'Never'])];
}

/** validateContainerCommon. */
function validateContainerCommon(c: Obj, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(fieldErr.required(`${path}.name`));
  else errs.push(...dns1123Label(name, `${path}.name`));
  if (!str(c.image)) errs.push(fieldErr.required(`${path}.image`));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(fieldErr.required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(fieldErr.notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, `${path}.volumeMounts`));
  errs.push(...validatePullPolicy(str(c.imagePullPolicy), `${path}.imagePullPolicy`));
  errs.push(...validateResources(c.resources, `${path}.resources`));
  return errs;
}

function validateContainers(containers: unknown, volumes: Set<string>, path: string): FieldError[] {
  const list = objects(containers);
  if (list.length === 0) return [fieldErr.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const idx = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, idx));
    if (isObj(c.lifecycle)) {
      for (const hook of ['postStart', 'preStop']) {
        if (isObj(c.lifecycle[hook])) errs.push(...validateHandler(c.lifecycle[hook] as Obj, `${idx}.lifecycle.${hook}`));
      }
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(fieldErr.duplicate(`${idx}.name`, name));
    else names.add(name);
    errs.push(...validateProbe(c.livenessProbe, 'liveness', `${idx}.livenessProbe`));
    errs.push(...validateProbe(c.readinessProbe, 'readiness', `${idx}.readinessProbe`));
    errs.push(...validateProbe(c.startupProbe, 'startup', `${idx}.startupProbe`));
    if (c.restartPolicy != null) errs.push(fieldErr.forbidden(`${idx}.restartPolicy`, 'may not be set for non-init containers'));
  });
  return errs;
}

function validateInitContainers(init: unknown, containers: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(objects(containers).map((c) => str(c.name)));
  objects(init).forEach((c, i) => {
    const idx = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, volumes, idx));
    const name = str(c.name);
    // Init container names share one namespace with the regular containers.
    if (names.has(name)) errs.push(fieldErr.duplicate(`${idx}.name`, name));
    else names.add(name);
    const restart = c.restartPolicy;
    if (restart != null && restart !== 'Always') errs.push(fieldErr.notSupported(`${idx}.restartPolicy`, str(restart), ['Always']));
    if (restart === 'Always') {
      errs.push(...validateProbe(c.livenessProbe, 'liveness', `${idx}.livenessProbe`));
      errs.push(...validateProbe(c.readinessProbe, 'readiness', `${idx}.readinessProbe`));
      errs.push(...validateProbe(c.startupProbe, 'startup', `${idx}.startupProbe`));
    } else {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[probe] != null) errs.push(fieldErr.forbidden(`${idx}.${probe}`, `may not be set for init containers without restartPolicy=Always`));
      }
    }
  });
  return errs;
}

// ------------------------------------------------------------------ pod-level fields

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objects(tolerations).forEach((t, i) => {
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    if (key) errs.push(...qualifiedName(key, `${idx}.key`));
    if (!key && operator !== 'Exists') {
      errs.push(fieldErr.invalid(`${idx}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds != null && effect !== 'NoExecute') {
      errs.push(fieldErr.invalid(`${idx}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(fieldErr.invalid(`${idx}.operator`, str(t.value), msgs.join(';')));
    } else if (operator === 'Exists') {
      if (str(t.value)) errs.push(fieldErr.invalid(`${idx}.operator`, goToleration(t), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldErr.notSupported(`${idx}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect) errs.push(...validateTaintEffect(effect, `${idx}.effect`));
  });
  return errs;
}

function goToleration(t: Obj): GoValue {
  const seconds = typeof t.tolerationSeconds === 'number' ? `(*int64)(${t.tolerationSeconds})` : '(*int64)(nil)';
  return new GoValue(
    `core.Toleration{Key:${JSON.stringify(str(t.key))}, Operator:${JSON.stringify(str(t.operator))}, Value:${JSON.stringify(str(t.value))}, Effect:${JSON.stringify(str(t.effect))}, TolerationSeconds:${seconds}}`,
  );
}

export function validateTaintEffect(effect: string, path: string): FieldError[] {
  const valid = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  return valid.includes(effect) ? [] : [fieldErr.notSupported(path, effect, valid)];
}

/** ValidatePodSpec, for a Pod or a pod template. */
export function validatePodSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds == null) errs.push(fieldErr.required(`${path}.terminationGracePeriodSeconds`));
  const [volumes, volErrs] = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...volErrs);
  errs.push(...validateContainers(spec.containers, volumes, `${path}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, volumes, `${path}.initContainers`));

  const restartPolicy = str(spec.restartPolicy);
  if (!restartPolicy) errs.push(fieldErr.required(`${path}.restartPolicy`));
  else if (!['Always', 'OnFailure', 'Never'].includes(restartPolicy)) {
    errs.push(fieldErr.notSupported(`${path}.restartPolicy`, restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  const dnsPolicy = str(spec.dnsPolicy);
  if (!dnsPolicy) errs.push(fieldErr.required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(dnsPolicy)) errs.push(fieldErr.notSupported(`${path}.dnsPolicy`, dnsPolicy, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (dnsPolicy === 'None') {
    if (!isObj(spec.dnsConfig)) errs.push(fieldErr.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (strings(spec.dnsConfig.nameservers).length === 0) {
      errs.push(fieldErr.required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    }
  }
  const sa = str(spec.serviceAccountName);
  if (sa) for (const msg of nameIsDNSSubdomain(sa, false)) errs.push(fieldErr.invalid(`${path}.serviceAccountName`, sa, msg));
  const nodeName = str(spec.nodeName);
  if (nodeName) for (const msg of nameIsDNSSubdomain(nodeName, false)) errs.push(fieldErr.invalid(`${path}.nodeName`, nodeName, msg));
  if (typeof spec.activeDeadlineSeconds === 'number') {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(fieldErr.invalid(`${path}.activeDeadlineSeconds`, v, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  if (str(spec.hostname)) errs.push(...dns1123Label(str(spec.hostname), `${path}.hostname`));
  if (str(spec.subdomain)) errs.push(...dns1123Label(str(spec.subdomain), `${path}.subdomain`));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  const pc = str(spec.priorityClassName);
  if (pc) for (const msg of nameIsDNSSubdomain(pc, false)) errs.push(fieldErr.invalid(`${path}.priorityClassName`, pc, msg));
  if (spec.preemptionPolicy != null && !['Never', 'PreemptLowerPriority'].includes(str(spec.preemptionPolicy))) {
    errs.push(fieldErr.notSupported(`${path}.preemptionPolicy`, str(spec.preemptionPolicy), ['Never', 'PreemptLowerPriority']));
  }
  objects(spec.readinessGates).forEach((g, i) => {
    errs.push(...qualifiedName(str(g.conditionType), `${path}.readinessGates[${i}].conditionType`));
  });
  return errs;
}

/** ValidatePodTemplateSpec, plus what ReplicaSets and Deployments add (the caller adds the rest). */
export function validatePodTemplate(template: Obj, path: string): FieldError[] {
  const meta = isObj(template.metadata) ? template.metadata : {};
  const spec = isObj(template.spec) ? template.spec : {};
  const errs = [
    ...validateLabels(meta.labels, `${path}.labels`),
    ...validateAnnotations(meta.annotations, `${path}.annotations`),
    ...validatePodSpec(spec, `${path}.spec`),
  ];
  if (objects(spec.ephemeralContainers).length) {
    errs.push(fieldErr.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** ValidatePodCreate. */
export function validatePod(pod: Obj): FieldError[] {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const errs = validateObjectMeta(isObj(pod.metadata) ? pod.metadata : {}, true, nameIsDNSSubdomain);
  errs.push(...validatePodSpec(spec, 'spec'));
  if (!str(spec.serviceAccountName)) {
    objects(spec.volumes).forEach((vol, vi) => {
      if (!isObj(vol.projected)) return;
      objects(vol.projected.sources).forEach((source, si) => {
        if (source.serviceAccountToken != null) {
          errs.push(
            fieldErr.forbidden(
              `spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          );
        }
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    objects(spec[key]).forEach((c, i) => {
      const image = str(c.image);
      if (image.trim() !== image) {
        errs.push(fieldErr.invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

// ------------------------------------------------------------------ update

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** Deep equality of JSON values, as apiequality.Semantic.DeepEqual sees decoded objects. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function containerUpdateErrors(containers: unknown, old: unknown, path: string): [FieldError[], boolean] {
  const list = objects(containers);
  if (list.length !== objects(old).length) return [[fieldErr.forbidden(path, 'pod updates may not add or remove containers')], true];
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(fieldErr.required(`${path}[${i}].image`));
    if (image.trim() !== image) errs.push(fieldErr.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return [errs, false];
}

/**
 * ValidatePodUpdate. The forbidden-change message ends with a go-cmp diff of the internal PodSpec
 * in the real server; here it lists the changed fields in the same `-`/`+` layout.
 */
export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const oldSpec = isObj(old.spec) ? old.spec : {};
  const errs = validateObjectMetaUpdate(isObj(pod.metadata) ? pod.metadata : {}, isObj(old.metadata) ? old.metadata : {});
  errs.push(...validatePodSpec(spec, 'spec'));
  for (const key of ['containers', 'initContainers']) {
    const [cerrs, stop] = containerUpdateErrors(spec[key], oldSpec[key], `spec.${key}`);
    errs.push(...cerrs);
    if (stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (typeof ads === 'number') {
    if (ads < 0 || ads > MAX_INT32) {
      errs.push(fieldErr.invalid('spec.activeDeadlineSeconds', ads, `must be between 0 and ${MAX_INT32}, inclusive`));
      return errs;
    }
    if (typeof oldAds === 'number' && oldAds < ads) {
      errs.push(fieldErr.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (typeof oldAds === 'number') {
    errs.push(fieldErr.invalid('spec.activeDeadlineSeconds', new GoValue('(*int64)(nil)'), 'must not update from a positive integer to nil value'));
  }
  // validateOnlyAddedTolerations: every old toleration must still be there (tolerationSeconds may change).
  const tolerations = objects(spec.tolerations);
  for (const t of objects(oldSpec.tolerations)) {
    if (!tolerations.some((n) => deepEqual({ ...t, tolerationSeconds: n.tolerationSeconds }, n))) {
      errs.push(fieldErr.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  if (deepEqual(spec, oldSpec)) return errs;
  // Munge the updatable fields back to their old values and compare what is left.
  const munged: Obj = { ...spec };
  for (const key of ['containers', 'initContainers']) {
    if (Array.isArray(spec[key])) {
      const oldList = objects(oldSpec[key]);
      munged[key] = objects(spec[key]).map((c, i) => ({ ...c, image: oldList[i]?.image }));
    }
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  munged.schedulingGates = oldSpec.schedulingGates;
  if (
    typeof oldSpec.terminationGracePeriodSeconds === 'number' &&
    oldSpec.terminationGracePeriodSeconds < 0 &&
    munged.terminationGracePeriodSeconds === 1
  ) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!deepEqual(munged, oldSpec)) {
    errs.push(
      fieldErr.forbidden(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(oldSpec, munged)}`,
      ),
    );
  }
  return errs;
}

/** A go-cmp-like summary of what differs between two pod specs, field by field. */
function specDiff(old: Obj, updated: Obj): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(updated)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (deepEqual(old[k], updated[k])) continue;
    const goName = k[0].toUpperCase() + k.slice(1);
    if (old[k] !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(old[k])},`);
    if (updated[k] !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(updated[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}


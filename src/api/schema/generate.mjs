/**
 * Generates types.generated.ts: the JSON field names, JSON types and Go type names of every
 * struct reachable from the kinds kfake serves, as the API server's Go decoder sees them.
 *
 * Sources (both from the npm registry, used only here, never at run time):
 *  - @kubernetes/client-node 1.1.2, whose models are generated from the Kubernetes v1.32.0
 *    OpenAPI spec: field names, order, and JSON types with their formats (int32/int64,
 *    date-time, date-time-micro, int-or-string).
 *  - kubernetes-models 4.5.1, whose declarations keep the resource.Quantity references that the
 *    client-node models flatten to plain strings (which fields are Quantities did not change
 *    between 1.32 and 1.33; only fields present in the 1.32 models are used).
 * OpenAPI does not name the Go types of enum-like strings (`Protocol`, `ServiceType`, ...), which
 * appear in decode errors (`of type v1.Protocol`); NAMED_TYPES below lists them, read from
 * k8s.io/api {core,apps,networking,discovery,coordination}/v1/types.go and
 * k8s.io/apimachinery/pkg/apis/meta/v1/types.go at v1.32.
 *
 * Re-run: node src/api/schema/generate.mjs   (needs the npm registry; rewrites types.generated.ts)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLIENT_NODE = '@kubernetes/client-node@1.1.2';
const MODELS = 'kubernetes-models@4.5.1';

/** apiVersion/kind → client-node model class. */
const ROOTS = {
  'v1/Namespace': 'V1Namespace',
  'v1/Node': 'V1Node',
  'v1/Pod': 'V1Pod',
  'v1/Service': 'V1Service',
  'v1/Endpoints': 'V1Endpoints',
  'v1/Event': 'CoreV1Event',
  'v1/ConfigMap': 'V1ConfigMap',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/ReplicaSet': 'V1ReplicaSet',
  'discovery.k8s.io/v1/EndpointSlice': 'V1EndpointSlice',
  'networking.k8s.io/v1/Ingress': 'V1Ingress',
  'networking.k8s.io/v1/IngressClass': 'V1IngressClass',
  'coordination.k8s.io/v1/Lease': 'V1Lease',
};

/** `GoStruct.jsonField` → the field's Go type where it is a named type OpenAPI flattens. */
const NAMED_TYPES = {
  'ObjectMeta.uid': 'types.UID',
  'OwnerReference.uid': 'types.UID',
  'ObjectReference.uid': 'types.UID',
  'ConfigMapNodeConfigSource.uid': 'types.UID',
  'ManagedFieldsEntry.operation': 'v1.ManagedFieldsOperationType',
  'Condition.status': 'v1.ConditionStatus',
  'LabelSelectorRequirement.operator': 'v1.LabelSelectorOperator',
  'NamespaceSpec.finalizers': '[]v1.FinalizerName',
  'NamespaceStatus.phase': 'v1.NamespacePhase',
  'NamespaceCondition.type': 'v1.NamespaceConditionType',
  'NamespaceCondition.status': 'v1.ConditionStatus',
  'Taint.effect': 'v1.TaintEffect',
  'NodeStatus.phase': 'v1.NodePhase',
  'NodeStatus.volumesInUse': '[]v1.UniqueVolumeName',
  'NodeStatus.capacity': 'v1.ResourceList',
  'NodeStatus.allocatable': 'v1.ResourceList',
  'NodeAddress.type': 'v1.NodeAddressType',
  'NodeCondition.type': 'v1.NodeConditionType',
  'NodeCondition.status': 'v1.ConditionStatus',
  'AttachedVolume.name': 'v1.UniqueVolumeName',
  'PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'PodSpec.restartPolicy': 'v1.RestartPolicy',
  'PodSpec.overhead': 'v1.ResourceList',
  'NodeSelectorRequirement.operator': 'v1.NodeSelectorOperator',
  'Container.imagePullPolicy': 'v1.PullPolicy',
  'Container.restartPolicy': 'v1.ContainerRestartPolicy',
  'Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'EphemeralContainer.imagePullPolicy': 'v1.PullPolicy',
  'EphemeralContainer.restartPolicy': 'v1.ContainerRestartPolicy',
  'EphemeralContainer.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'HTTPGetAction.scheme': 'v1.URIScheme',
  'ContainerPort.protocol': 'v1.Protocol',
  'ContainerResizePolicy.resourceName': 'v1.ResourceName',
  'ContainerResizePolicy.restartPolicy': 'v1.ResourceResizeRestartPolicy',
  'ResourceRequirements.limits': 'v1.ResourceList',
  'ResourceRequirements.requests': 'v1.ResourceList',
  'VolumeResourceRequirements.limits': 'v1.ResourceList',
  'VolumeResourceRequirements.requests': 'v1.ResourceList',
  'SecurityContext.procMount': 'v1.ProcMountType',
  'AppArmorProfile.type': 'v1.AppArmorProfileType',
  'Capabilities.add': '[]v1.Capability',
  'Capabilities.drop': '[]v1.Capability',
  'SeccompProfile.type': 'v1.SeccompProfileType',
  'VolumeMount.mountPropagation': 'v1.MountPropagationMode',
  'VolumeMount.recursiveReadOnly': 'v1.RecursiveReadOnlyMode',
  'VolumeMountStatus.recursiveReadOnly': 'v1.RecursiveReadOnlyMode',
  'PodOS.name': 'v1.OSName',
  'PodReadinessGate.conditionType': 'v1.PodConditionType',
  'PodSecurityContext.fsGroupChangePolicy': 'v1.PodFSGroupChangePolicy',
  'PodSecurityContext.seLinuxChangePolicy': 'v1.PodSELinuxChangePolicy',
  'PodSecurityContext.supplementalGroupsPolicy': 'v1.SupplementalGroupsPolicy',
  'Toleration.effect': 'v1.TaintEffect',
  'Toleration.operator': 'v1.TolerationOperator',
  'TopologySpreadConstraint.nodeAffinityPolicy': 'v1.NodeInclusionPolicy',
  'TopologySpreadConstraint.nodeTaintsPolicy': 'v1.NodeInclusionPolicy',
  'TopologySpreadConstraint.whenUnsatisfiable': 'v1.UnsatisfiableConstraintAction',
  'AzureDiskVolumeSource.cachingMode': 'v1.AzureDataDiskCachingMode',
  'AzureDiskVolumeSource.kind': 'v1.AzureDataDiskKind',
  'EmptyDirVolumeSource.medium': 'v1.StorageMedium',
  'PersistentVolumeClaimSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
  'PersistentVolumeClaimSpec.volumeMode': 'v1.PersistentVolumeMode',
  'HostPathVolumeSource.type': 'v1.HostPathType',
  'ImageVolumeSource.pullPolicy': 'v1.PullPolicy',
  'PodStatus.phase': 'v1.PodPhase',
  'PodStatus.qosClass': 'v1.PodQOSClass',
  'PodStatus.resize': 'v1.PodResizeStatus',
  'PodCondition.type': 'v1.PodConditionType',
  'PodCondition.status': 'v1.ConditionStatus',
  'ContainerStatus.allocatedResources': 'v1.ResourceList',
  'ResourceStatus.name': 'v1.ResourceName',
  'ResourceHealth.health': 'v1.ResourceHealthStatus',
  'ResourceHealth.resourceID': 'v1.ResourceID',
  'ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'ServiceSpec.ipFamilies': '[]v1.IPFamily',
  'ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'ServiceSpec.type': 'v1.ServiceType',
  'ServicePort.protocol': 'v1.Protocol',
  'LoadBalancerIngress.ipMode': 'v1.LoadBalancerIPMode',
  'PortStatus.protocol': 'v1.Protocol',
  'EndpointPort.protocol': 'v1.Protocol',
  'DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'DeploymentCondition.type': 'v1.DeploymentConditionType',
  'DeploymentCondition.status': 'v1.ConditionStatus',
  'ReplicaSetCondition.type': 'v1.ReplicaSetConditionType',
  'ReplicaSetCondition.status': 'v1.ConditionStatus',
  'EndpointSlice.addressType': 'v1.AddressType',
  'discovery.EndpointPort.protocol': 'v1.Protocol',
  'HTTPIngressPath.pathType': 'v1.PathType',
  'IngressPortStatus.protocol': 'v1.Protocol',
  'LeaseSpec.strategy': 'v1.CoordinatedLeaseStrategy',
};

const here = path.dirname(fileURLToPath(import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-schema-'));
try {
  for (const spec of [CLIENT_NODE, MODELS]) {
    const dir = path.join(work, spec.replace(/[@/]/g, '_'));
    fs.mkdirSync(dir);
    const tgz = execFileSync('npm', ['pack', spec, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', tgz], { cwd: dir });
  }
  const modelsDir = path.join(work, CLIENT_NODE.replace(/[@/]/g, '_'), 'package/dist/gen/models');
  const dtsDir = path.join(work, MODELS.replace(/[@/]/g, '_'), 'package');
  const out = await generate(modelsDir, dtsDir);
  fs.writeFileSync(path.join(here, 'types.generated.ts'), out);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

/** Go struct name of a client-node class: V1ServicePort → ServicePort, CoreV1Event → Event. */
function goName(cls) {
  return cls.replace(/^(Core|Discovery|Events)?V1/, '');
}

/** Struct key in the generated table; core wins the bare name when two groups share it. */
function keyOf(cls) {
  const m = cls.match(/^(Discovery|Events)V1/);
  return m ? `${m[1].toLowerCase()}.${goName(cls)}` : goName(cls);
}

/** The Quantity-typed fields of a kubernetes-models core/v1 declaration. */
function quantityFields(dtsDir, name) {
  const file = path.join(dtsDir, 'v1', `${name}.d.ts`);
  if (!fs.existsSync(file)) return new Map();
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(`export interface I${name} {`);
  const block = text.slice(start, text.indexOf('\n}', start));
  const found = new Map();
  const re = /"(\w+)"\??: (\{\s*\[key: string\]: )?IIoK8sApimachineryPkgApiResourceQuantity/g;
  for (let m; (m = re.exec(block)); ) found.set(m[1], m[2] ? '{}q' : 'q');
  return found;
}

async function generate(modelsDir, dtsDir) {
  const classes = new Map();
  async function load(cls) {
    if (classes.has(cls)) return;
    const mod = await import(pathToFileURL(path.join(modelsDir, `${cls}.js`)).href);
    classes.set(cls, mod[cls].attributeTypeMap);
    for (const a of mod[cls].attributeTypeMap) {
      for (const ref of a.type.match(/\b(?:Core|Discovery|Events)?V1[A-Z]\w*/g) ?? []) {
        if (ref !== 'V1MicroTime') await load(ref);
      }
    }
  }
  for (const cls of Object.values(ROOTS)) await load(cls);

  const usedNamed = new Set();
  const structs = {};
  for (const [cls, attrs] of [...classes].sort((a, b) => keyOf(a[0]).localeCompare(keyOf(b[0])))) {
    const key = keyOf(cls);
    const quantities = quantityFields(dtsDir, goName(cls));
    const fields = attrs.map((a) => {
      let t = quantities.get(a.baseName) ?? typeCode(a.type, a.format);
      const named = NAMED_TYPES[`${key}.${a.baseName}`];
      if (named) {
        usedNamed.add(`${key}.${a.baseName}`);
        t += '@' + named;
      }
      return `${a.baseName}:${t}`;
    });
    structs[key] = fields.join(' ');
  }
  const unused = Object.keys(NAMED_TYPES).filter((k) => !usedNamed.has(k));
  if (unused.length) throw new Error(`NAMED_TYPES entries match no field: ${unused.join(', ')}`);

  const roots = Object.fromEntries(Object.entries(ROOTS).map(([gvk, cls]) => [gvk, keyOf(cls)]));
  return [
    '// Generated by src/api/schema/generate.mjs from the Kubernetes v1.32.0 OpenAPI models; do not edit.',
    '// Each struct lists `jsonName:type` pairs. Types: s string, b bool, i32, i64, q resource.Quantity,',
    '// t metav1.Time, mt metav1.MicroTime, ios intstr.IntOrString, bytes []byte, any (decoded as-is),',
    '// []T slice, {}T map[string]T, otherwise a struct key; `@name` gives the Go type name when it is a',
    '// named type (e.g. s@v1.Protocol).',
    '',
    `export const ROOTS: Readonly<Record<string, string>> = ${JSON.stringify(roots, null, 2)};`,
    '',
    `export const STRUCTS: Readonly<Record<string, string>> = ${JSON.stringify(structs, null, 2)};`,
    '',
  ].join('\n');
}

function typeCode(type, format) {
  const arr = type.match(/^Array<(.+)>$/);
  if (arr) return '[]' + typeCode(arr[1], format);
  const map = type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (map) return '{}' + typeCode(map[1], format);
  switch (type) {
    case 'string':
      return format === 'byte' ? 'bytes' : 's';
    case 'boolean':
      return 'b';
    case 'number':
      if (format === 'int32' || format === 'int64') return format.replace('int', 'i');
      throw new Error(`number format ${format}`);
    case 'Date':
      return 't';
    case 'V1MicroTime':
      return 'mt';
    case 'IntOrString':
      return 'ios';
    case 'any':
      return 'any';
    default:
      if (/^(Core|Discovery|Events)?V1[A-Z]/.test(type)) return keyOf(type);
      throw new Error(`unhandled type ${type}`);
  }
}

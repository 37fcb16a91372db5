import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/api/defaults.ts';
import type { KObject } from '../../src/api/types.ts';
import { validateObject } from '../../src/api/validation/index.ts';

type Container = Record<string, unknown>;

function pod(containers: Container[], spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', ...meta }, spec: { containers, ...spec } } as KObject;
  applyDefaults(p);
  return p;
}

function deployment(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      ...spec,
    },
  } as KObject;
  applyDefaults(d);
  return d;
}

const messages = (obj: KObject, old?: KObject) => validateObject(obj, old).map(String);
const c = (extra: Container = {}): Container => ({ name: 'nginx', image: 'nginx', ...extra });

// Messages from pkg/apis/core/validation/validation.go (validateContainers, validateContainerPorts,
// ValidateEnv, validateProbe, ValidateResourceRequirements, ValidateVolumes, ValidatePodSpec).
describe('ValidatePod', () => {
  it('accepts a valid pod', () => {
    expect(messages(pod([c({ ports: [{ containerPort: 80, name: 'http' }] })]))).toEqual([]);
  });

  it.each<[string, KObject, string[]]>([
    ['containers required', pod([]), ['spec.containers: Required value']],
    ['image required', pod([{ name: 'nginx' }]), ['spec.containers[0].image: Required value']],
    ['container name required', pod([{ image: 'nginx' }]), ['spec.containers[0].name: Required value']],
    ['container name DNS-1123 label', pod([c({ name: 'Web' })]), [
      `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['container names unique', pod([c(), c()]), ['spec.containers[1].name: Duplicate value: "nginx"']],
    ['containerPort range', pod([c({ ports: [{ containerPort: 70000 }] })]), [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]],
    ['containerPort required', pod([c({ ports: [{ name: 'http' }] })]), ['spec.containers[0].ports[0].containerPort: Required value']],
    ['port names IANA_SVC_NAME', pod([c({ ports: [{ containerPort: 80, name: 'http_port' }] })]), [
      'spec.containers[0].ports[0].name: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]],
    ['port names unique', pod([c({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }] })]), [
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
    ]],
    ['port protocol values', pod([c({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })]), [
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]],
    ['restartPolicy values', pod([c()], { restartPolicy: 'Sometimes' }), [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]],
    ['dnsPolicy values', pod([c()], { dnsPolicy: 'Custom' }), [
      'spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]],
    ['dnsConfig required for None', pod([c()], { dnsPolicy: 'None' }), [
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ]],
    ['env var name required', pod([c({ env: [{ value: 'x' }] })]), [
      'spec.containers[0].env[0].name: Required value',
      'spec.containers[0].env[0].name: Invalid value: "": environment variable name must be non-empty',
    ]],
    ['env var names: printable ASCII without =', pod([c({ env: [{ name: 'A=B' }] })]), [
      `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ]],
    ['probe needs a handler', pod([c({ livenessProbe: { periodSeconds: 5 } })]), [
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
    ]],
    ['probe with two handlers', pod([c({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })]), [
      'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    ]],
    ['liveness successThreshold must be 1', pod([c({ livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } })]), [
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]],
    ['negative resource quantity', pod([c({ resources: { requests: { cpu: '-1' } } })]), [
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]],
    ['requests above limits', pod([c({ resources: { requests: { cpu: '1' }, limits: { cpu: '500m' } } })]), [
      'spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m',
    ]],
    ['unknown standard resource', pod([c({ resources: { limits: { gpu: '1' } } })]), [
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]],
    ['volume mount of an unknown volume', pod([c({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })]), [
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ]],
    ['volume needs a source', pod([c()], { volumes: [{ name: 'data', hostPath: { path: '/x' }, emptyDir: {} }] }), [
      'spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type',
    ]],
    ['imagePullPolicy values', pod([c({ imagePullPolicy: 'Sometimes' })]), [
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ]],
    ['toleration operator must be Exists without a key', pod([c()], { tolerations: [{ operator: 'Equal', value: 'x' }] }), [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]],
    ['toleration effect values', pod([c()], { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoRun' }] }), [
      'spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]],
    ['image without surrounding spaces', pod([c({ image: 'nginx ' })]), [
      'spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace',
    ]],
    ['pod name DNS-1123 subdomain', pod([c()], {}, { name: 'Web' }), [
      `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]],
    ['name or generateName', pod([c()], {}, { name: '' }), ['metadata.name: Required value: name or generateName is required']],
    ['label values', pod([c()], {}, { labels: { app: 'a b' } }), [
      `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]],
    ['annotations total size', pod([c()], {}, { annotations: { big: 'x'.repeat(262142) } }), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]],
  ])('%s', (_name, p, expected) => {
    expect(messages(p)).toEqual(expected);
  });
});

describe('ValidatePodUpdate', () => {
  const old = pod([c({ ports: [{ containerPort: 80 }] })]);
  it('allows changing the image', () => {
    const before = pod([c({ image: 'nginx:1.26' })]);
    expect(messages(pod([c({ image: 'nginx:1.27' })]), before)).toEqual([]);
  });
  it('forbids other changes', () => {
    const [msg] = messages(pod([c({ ports: [{ containerPort: 81 }] })]), old);
    expect(msg.split('\n')[0]).toBe(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
  });
  it('forbids adding containers', () => {
    expect(messages(pod([c(), c({ name: 'side' })]), old)).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
  });
  it('forbids changing existing tolerations', () => {
    const withT = pod([c({ ports: [{ containerPort: 80 }] })], { tolerations: [{ key: 'a', operator: 'Exists' }] });
    const changed = pod([c({ ports: [{ containerPort: 80 }] })], { tolerations: [{ key: 'b', operator: 'Exists' }] });
    expect(messages(changed, withT)).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });
});

// pkg/apis/apps/validation/validation.go and the deployment strategy's selector immutability.
describe('ValidateDeployment', () => {
  it('accepts a valid deployment', () => {
    expect(messages(deployment({}))).toEqual([]);
  });
  it.each<[string, KObject, string[]]>([
    ['selector must match the template labels', deployment({ selector: { matchLabels: { app: 'api' } } }), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]],
    ['selector required', deployment({ selector: undefined }), [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]],
    ['empty selector', deployment({ selector: {} }), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]],
    ['replicas >= 0', deployment({ replicas: -1 }), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['template restartPolicy Always', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'n', image: 'n' }] } } }), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]],
    ['Recreate takes no rollingUpdate', deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), [
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]],
    ['maxUnavailable and maxSurge not both 0', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]],
    ['percentages', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'half', maxUnavailable: '110%' } } }), [
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: half: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 110%: must not be greater than 100%',
    ]],
    ['progressDeadlineSeconds above minReadySeconds', deployment({ minReadySeconds: 700 }), [
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    ]],
  ])('%s', (_name, d, expected) => {
    expect(messages(d)).toEqual(expected);
  });

  it('selector is immutable on update', () => {
    const template = { metadata: { labels: { app: 'web2' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
    expect(messages(deployment({ selector: { matchLabels: { app: 'web2' } }, template }), deployment({}))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('ReplicaSet shares the selector rules', () => {
    const rs = { ...deployment({ selector: { matchLabels: { app: 'api' } } }), kind: 'ReplicaSet' } as KObject;
    expect(messages(rs)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });
});

/**
 * The resource table: what kubectl learns from discovery (kind, plural, short names, scope,
 * categories) for every kind kfake serves. Resolving `svc`, `Service`, `services.v1.`,
 * `deploy.apps` or `deployments.v1.apps` all goes through here, as kubectl's RESTMapper does.
 */

export interface ResourceInfo {
  /** Plural resource name, e.g. `services`. */
  resource: string;
  singular: string;
  kind: string;
  /** API group, '' for core. */
  group: string;
  version: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
}

/**
 * Discovery order: core group first, then the other groups in the apiserver's order; inside a
 * group, resources alphabetically. `kubectl get all` prints kinds in this order.
 */
export const RESOURCES: readonly ResourceInfo[] = [
  r('configmaps', 'configmap', 'ConfigMap', '', ['cm']),
  r('endpoints', 'endpoints', 'Endpoints', '', ['ep']),
  r('events', 'event', 'Event', '', ['ev']),
  r('namespaces', 'namespace', 'Namespace', '', ['ns'], false),
  r('nodes', 'node', 'Node', '', ['no'], false),
  r('pods', 'pod', 'Pod', '', ['po'], true, ['all']),
  r('services', 'service', 'Service', '', ['svc'], true, ['all']),
  r('deployments', 'deployment', 'Deployment', 'apps', ['deploy'], true, ['all']),
  r('replicasets', 'replicaset', 'ReplicaSet', 'apps', ['rs'], true, ['all']),
  r('leases', 'lease', 'Lease', 'coordination.k8s.io', []),
  r('endpointslices', 'endpointslice', 'EndpointSlice', 'discovery.k8s.io', []),
  r('ingressclasses', 'ingressclass', 'IngressClass', 'networking.k8s.io', [], false),
  r('ingresses', 'ingress', 'Ingress', 'networking.k8s.io', ['ing']),
];

function r(
  resource: string,
  singular: string,
  kind: string,
  group: string,
  shortNames: string[],
  namespaced = true,
  categories: string[] = [],
): ResourceInfo {
  return { resource, singular, kind, group, version: 'v1', shortNames, namespaced, categories };
}

const byResource = new Map(RESOURCES.map((info) => [info.resource, info]));
const byGroupKind = new Map(RESOURCES.map((info) => [`${info.group}/${info.kind}`, info]));

/** `apps/v1` for apps, `v1` for core. */
export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** The resource as `plural[.group]`, the form NotFound and AlreadyExists messages use. */
export function qualifiedResource(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** The lower-case kind as `kind[.group]`, the form `-o name` and `created` lines use. */
export function kindPrefix(info: ResourceInfo): string {
  const kind = info.kind.toLowerCase();
  return info.group ? `${kind}.${info.group}` : kind;
}

export function resourceInfo(resource: string): ResourceInfo {
  const info = byResource.get(resource);
  if (!info) throw new Error(`unknown resource ${resource}`);
  return info;
}

/**
 * schema.ParseGroupVersion (apimachinery/pkg/runtime/schema/group_version.go): `v1` is the core
 * group, `apps/v1` a named one, `/v1` the core group too and `` or `/` nothing at all; more
 * than one slash does not parse (undefined). A value that is not a string (from a manifest read
 * without validation) reads as empty, as Unstructured.GetAPIVersion reads it.
 */
export function parseGroupVersion(apiVersion: unknown): { group: string; version: string } | undefined {
  if (typeof apiVersion !== 'string' || apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return undefined;
}

/**
 * The info for an object's apiVersion + kind, or undefined when kfake does not serve it. The
 * apiVersion is read as Kubernetes reads it (parseGroupVersion), and an empty version is the
 * served one: kubectl's RESTMapper then picks the group's preferred version, and the API server
 * fills it in from the request's endpoint (the serializer's gvkWithDefaults).
 */
export function infoForObject(apiVersion: string, kind: string): ResourceInfo | undefined {
  const gv = parseGroupVersion(apiVersion);
  const info = gv && byGroupKind.get(`${gv.group}/${kind}`);
  return info && (gv.version === '' || info.version === gv.version) ? info : undefined;
}

/**
 * The apiVersion the API server stores an object with: `/v1` and `` become `v1`, `apps/`
 * becomes `apps/v1`. Kinds kfake does not serve keep theirs.
 */
export function canonicalApiVersion(apiVersion: string, kind: string): string {
  const info = infoForObject(apiVersion, kind);
  return info ? apiVersionOf(info) : apiVersion;
}

/** Whether any version of this group/kind is known (to tell "no matches for kind" apart). */
export function knownGroupKind(group: string, kind: string): boolean {
  return byGroupKind.has(`${group}/${kind}`);
}

/**
 * Resolve a type as typed on the command line (`svc`, `services`, `Service`, `deploy.apps`,
 * `deployments.v1.apps`, `services.v1.`), as kubectl's RESTMapper does against discovery.
 * Returns undefined when no served resource matches.
 */
export function resolveResourceArg(arg: string): ResourceInfo | undefined {
  const lower = arg.toLowerCase();
  const direct = matchName(lower, undefined);
  if (direct) return direct;
  // `<name>.<group>` or `<name>.<version>.<group>`; core is written with an empty group: `services.v1.`
  const firstDot = lower.indexOf('.');
  if (firstDot < 0) return undefined;
  const name = lower.slice(0, firstDot);
  const rest = lower.slice(firstDot + 1);
  const secondDot = rest.indexOf('.');
  if (secondDot >= 0) {
    const version = rest.slice(0, secondDot);
    const group = rest.slice(secondDot + 1);
    const found = matchName(name, group);
    if (found && found.version === version) return found;
  }
  return matchName(name, rest);
}

function matchName(name: string, group: string | undefined): ResourceInfo | undefined {
  for (const info of RESOURCES) {
    if (group !== undefined && info.group !== group) continue;
    if (info.resource === name || info.singular === name || info.kind.toLowerCase() === name) return info;
  }
  for (const info of RESOURCES) {
    if (group !== undefined && info.group !== group) continue;
    if (info.shortNames.includes(name)) return info;
  }
  return undefined;
}

/** Resources in a discovery category such as `all`, in discovery order. */
export function resourcesInCategory(category: string): ResourceInfo[] {
  return RESOURCES.filter((info) => info.categories.includes(category));
}

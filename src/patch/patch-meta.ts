/**
 * Strategic-merge-patch metadata for the kinds kfake serves, and the error type every patch
 * flavour raises.
 *
 * apimachinery's strategicpatch package learns how to merge each field from the Go struct tags
 * `patchStrategy` and `patchMergeKey` of the versioned API types, by reflection
 * (PatchMetaFromStruct in kubernetes/kubernetes:staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/meta.go,
 * LookupPatchMetadataForStruct in .../third_party/forked/golang/json/fields.go). This module is
 * that table, transcribed from the tags in k8s.io/api core/v1, apps/v1, discovery/v1,
 * networking/v1, coordination/v1 and meta/v1 types.go as compiled into kubectl v1.32.
 *
 * Only fields that carry a tag, or lead to one, are listed: any other field is untagged, which is
 * what strategicpatch does with it anyway (maps merge key by key, lists are replaced whole).
 */
import { StatusError } from '../api/errors.ts';

/** `<group>/<Kind>`, with an empty group for core: `apps/Deployment`, `/Service`. */
export type GroupKind = string;

/** How one field is patched: the field's struct tags and the schema of its value. */
export interface FieldMeta {
  /** The `patchStrategy` tag split on ',' (`merge`, `replace`, `retainKeys`); empty when untagged. */
  readonly strategies: readonly string[];
  /** The `patchMergeKey` tag; empty for lists of primitives and untagged fields. */
  readonly mergeKey: string;
  /** The schema of the value: the struct for object fields, the element for list fields. */
  readonly type: TypeSchema;
}

/** A Go type as the patch code sees it. */
export interface TypeSchema {
  /** reflect.Kind().String() of the Go type; strategicpatch prints it in a few errors. */
  readonly kind: string;
  readonly fields: Readonly<Record<string, FieldMeta>>;
}

const struct = (fields: Record<string, FieldMeta> = {}): TypeSchema => ({ kind: 'struct', fields });
const UNTAGGED_STRUCT = struct();
const STRING: TypeSchema = { kind: 'string', fields: {} };

/** What an untagged field (or one this table does not know) looks like. */
export const UNTAGGED: FieldMeta = { strategies: [], mergeKey: '', type: UNTAGGED_STRUCT };

const nested = (type: TypeSchema): FieldMeta => ({ strategies: [], mergeKey: '', type });
const mergeBy = (mergeKey: string, type: TypeSchema = UNTAGGED_STRUCT): FieldMeta => ({
  strategies: ['merge'],
  mergeKey,
  type,
});
const mergeRetainingKeysBy = (mergeKey: string): FieldMeta => ({
  strategies: ['merge', 'retainKeys'],
  mergeKey,
  type: UNTAGGED_STRUCT,
});
/** `patchStrategy:"merge"` on a list of strings: a set union (metadata.finalizers, spec.podCIDRs). */
const MERGED_STRINGS: FieldMeta = { strategies: ['merge'], mergeKey: '', type: STRING };

// meta/v1 ObjectMeta
const OBJECT_META = struct({
  ownerReferences: mergeBy('uid'),
  finalizers: MERGED_STRINGS,
});

// core/v1 Container and EphemeralContainerCommon carry the same tags.
const CONTAINER = struct({
  ports: mergeBy('containerPort'),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
});

const POD_SPEC = struct({
  volumes: mergeRetainingKeysBy('name'),
  initContainers: mergeBy('name', CONTAINER),
  containers: mergeBy('name', CONTAINER),
  ephemeralContainers: mergeBy('name', CONTAINER),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  schedulingGates: mergeBy('name'),
  resourceClaims: mergeRetainingKeysBy('name'),
});

const POD_STATUS = struct({
  conditions: mergeBy('type'),
  podIPs: mergeBy('ip'),
  hostIPs: mergeBy('ip'),
  resourceClaimStatuses: mergeRetainingKeysBy('name'),
});

const POD_TEMPLATE_SPEC = struct({ metadata: nested(OBJECT_META), spec: nested(POD_SPEC) });

/** A status whose only tagged list is `conditions`, merged by `type`. */
const CONDITIONS_STATUS = struct({ conditions: mergeBy('type') });

function kind(fields: Record<string, FieldMeta> = {}): TypeSchema {
  return struct({ metadata: nested(OBJECT_META), ...fields });
}

const KINDS: ReadonlyMap<GroupKind, TypeSchema> = new Map([
  ['/ConfigMap', kind()],
  ['/Endpoints', kind()],
  ['/Event', kind()],
  ['/Namespace', kind({ status: nested(CONDITIONS_STATUS) })],
  [
    '/Node',
    kind({
      spec: nested(struct({ podCIDRs: MERGED_STRINGS })),
      status: nested(struct({ conditions: mergeBy('type'), addresses: mergeBy('type') })),
    }),
  ],
  ['/Pod', kind({ spec: nested(POD_SPEC), status: nested(POD_STATUS) })],
  [
    '/Service',
    kind({ spec: nested(struct({ ports: mergeBy('port') })), status: nested(CONDITIONS_STATUS) }),
  ],
  [
    'apps/Deployment',
    kind({
      spec: nested(
        struct({
          template: nested(POD_TEMPLATE_SPEC),
          strategy: { strategies: ['retainKeys'], mergeKey: '', type: UNTAGGED_STRUCT },
        }),
      ),
      status: nested(CONDITIONS_STATUS),
    }),
  ],
  [
    'apps/ReplicaSet',
    kind({ spec: nested(struct({ template: nested(POD_TEMPLATE_SPEC) })), status: nested(CONDITIONS_STATUS) }),
  ],
  ['coordination.k8s.io/Lease', kind()],
  ['discovery.k8s.io/EndpointSlice', kind()],
  ['networking.k8s.io/Ingress', kind()],
  ['networking.k8s.io/IngressClass', kind()],
]);

/** The schema of a served kind (`apps/Deployment`, `/Service`; a bare `Service` means core). */
export function schemaFor(gk: GroupKind): TypeSchema | undefined {
  return KINDS.get(gk.includes('/') ? gk : `/${gk}`);
}

/** The metadata of one field of a struct; fields without tags get UNTAGGED. */
export function fieldMeta(schema: TypeSchema, field: string): FieldMeta {
  return Object.hasOwn(schema.fields, field) ? schema.fields[field] : UNTAGGED;
}

// ------------------------------------------------------------------ errors

/**
 * A patch that cannot be applied or computed. `message` is the text kubectl prints after
 * `error: ` when the work happens on the client (`kubectl patch --local`, `kubectl apply`
 * computing its patch); `status`, when set, is what the API server answers the same patch with.
 */
export class PatchError extends Error {
  readonly status?: StatusError;
  constructor(message: string, status?: StatusError) {
    super(message);
    this.status = status;
  }
}

/**
 * A metav1.Status failure. `reason` '' is StatusReasonUnknown: what the apiserver sends for an
 * error that is not an APIStatus (responsewriters.ErrorToAPIStatus), which kubectl prints as
 * `Error from server: <message>`.
 */
export function failureStatus(reason: string, code: number, message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

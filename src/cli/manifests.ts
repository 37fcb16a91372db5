/**
 * `-f` inputs for any command: files, directories (`-R`), `-` for standard input, turned into
 * objects with kubectl's error texts.
 */
import { readSources } from '../manifest/read.ts';
import { parseManifestEntries, type ManifestEntry, type ManifestObject } from '../manifest/parse.ts';
import type { IO } from './io.ts';
import { CliError, goQuote } from '../api/errors.ts';
import { infoForObject, parseGroupVersion, RESOURCES, type ResourceInfo } from '../api/registry.ts';

/** Whether any served resource has this kind (kfake's stand-in for client-go's scheme). */
const knownKind = (kind: string) => kind === 'List' || RESOURCES.some((r) => r.kind === kind);
import type { KObject } from '../api/types.ts';

/**
 * Every document of every `-f` source, in order. A document that cannot be read or parsed is
 * an entry with its error: kubectl reports it and still acts on the others. `validate` is
 * whether the command checks apiVersion and kind before decoding: only apply, create and replace
 * give kubectl's resource builder a schema, and only while --validate is not false or ignore.
 */
export function readManifestEntries(io: IO, paths: string[], recursive: boolean, validate = false): ManifestEntry[] {
  const sources = readSources(paths, { recursive, readStdin: () => io.readStdin() });
  return sources.flatMap((s) => parseManifestEntries(s, { validate }));
}

/** For commands that need every object before doing anything: the first error stops them. */
export function readManifestObjects(io: IO, paths: string[], recursive: boolean, validate = false): ManifestObject[] {
  return readManifestEntries(io, paths, recursive, validate).map((e) => {
    if ('error' in e) throw e.error;
    return e;
  });
}

/** An object from `-f`, mapped to its resource with the namespace kubectl would use. */
export interface MappedObject {
  source: string;
  object: KObject;
  info?: ResourceInfo;
  /** Why it cannot be sent (kubectl reports it and carries on with the others). */
  error?: Error;
  /**
   * The object exactly as read, when it differs from `object` in a way only client-side printing
   * shows: a `metadata: null` stays null in kubectl's unstructured object (SetNamespace and
   * SetAnnotations cannot write into it), while `object` has an empty metadata carrying the
   * namespace the request goes to (resource.Info's Namespace).
   */
  asRead?: KObject;
}

/**
 * client-go's request builder refuses an empty name before anything is sent (rest.Request.Name);
 * an object read from -f without a name meets it whenever it is fetched, patched or deleted.
 */
export const EMPTY_NAME = 'resource name may not be empty';

export interface MapOptions {
  /** The command validates manifests (see readManifestEntries); false unless it says so. */
  validate?: boolean;
  /**
   * The command decodes into client-go's typed scheme (the builder's WithScheme, as expose,
   * rollout and set do): a kind it does not know is a decoding error, not a mapping one.
   */
  typed?: boolean;
}

/**
 * kubectl's builder over `-f` objects: find each kind's resource (or report "no matches for
 * kind"), fill in the namespace, and refuse a namespace that contradicts an explicit -n.
 */
export function mapManifestObjects(
  io: IO,
  paths: string[],
  recursive: boolean,
  namespace: string,
  namespaceExplicit: boolean,
  opts: MapOptions = {},
): MappedObject[] {
  return readManifestEntries(io, paths, recursive, opts.validate ?? false).map((m) => {
    if ('error' in m) return { source: m.source, object: { apiVersion: '', kind: '', metadata: {} }, error: m.error };
    const object = m.object as unknown as KObject;
    // Unstructured.GetAPIVersion: a missing or non-string apiVersion reads as empty.
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const asRead = object.metadata === null ? { ...object } : undefined;
    // metadataAccessor reads a missing or null metadata as an empty one.
    object.metadata ??= {};
    const info = restMapping(apiVersion, object.kind);
    if (!info && opts.typed && !knownKind(object.kind)) {
      return {
        source: m.source,
        object,
        error: new CliError(
          `unable to decode ${goQuote(m.source)}: no kind ${goQuote(object.kind)} is registered for version ${goQuote(apiVersion)} ` +
            'in scheme "pkg/scheme/scheme.go:28"',
        ),
      };
    }
    if (!info) {
      const gv = parseGroupVersion(apiVersion) ?? { group: '', version: '' };
      const version = gv.group ? `${gv.group}/${gv.version}` : gv.version;
      return {
        source: m.source,
        object,
        error: new CliError(
          `resource mapping not found for name: ${goQuote(object.metadata.name ?? '')} namespace: ${goQuote(object.metadata.namespace ?? '')} ` +
            `from ${goQuote(m.source)}: no matches for kind ${goQuote(object.kind)} in version ${goQuote(version)}\n` +
            'ensure CRDs are installed first',
        ),
      };
    }
    if (info.namespaced) {
      const ns = object.metadata.namespace;
      if (ns && namespaceExplicit && ns !== namespace) {
        return {
          source: m.source,
          object,
          error: new CliError(
            `the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
          ),
        };
      }
      if (!ns) object.metadata.namespace = namespace;
    }
    return asRead ? { source: m.source, object, info, asRead } : { source: m.source, object, info };
  });
}

/**
 * The RESTMapping kubectl finds for an apiVersion and kind (restmapper.NewDiscoveryRESTMapper):
 * the served kinds, an empty version meaning the group's preferred one, and `List` in every
 * served group version, which discovery never lists but the mapper adds as a cluster-scoped
 * `lists` resource (no server serves it; only client-side work succeeds with it).
 */
function restMapping(apiVersion: string, kind: string): ResourceInfo | undefined {
  const info = infoForObject(apiVersion, kind);
  if (info || kind !== 'List') return info;
  const gv = parseGroupVersion(apiVersion);
  const served = gv && RESOURCES.find((r) => r.group === gv.group && (gv.version === '' || r.version === gv.version));
  if (!served) return undefined;
  return {
    resource: 'lists',
    singular: 'list',
    kind: 'List',
    group: served.group,
    version: served.version,
    shortNames: [],
    namespaced: false,
    categories: [],
  };
}

/**
 * `-f` inputs for any command: files, directories (`-R`), `-` for standard input, turned into
 * objects with kubectl's error texts.
 */
import { readSources } from '../manifest/read.ts';
import { parseManifestEntries, type ManifestEntry, type ManifestObject } from '../manifest/parse.ts';
import type { IO } from './io.ts';
import { CliError } from '../api/errors.ts';
import { infoForObject, type ResourceInfo } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';

/**
 * Every document of every `-f` source, in order. A document that cannot be read or parsed is
 * an entry with its error: kubectl reports it and still acts on the others.
 */
export function readManifestEntries(io: IO, paths: string[], recursive: boolean, validate = true): ManifestEntry[] {
  const sources = readSources(paths, { recursive, readStdin: () => io.readStdin() });
  return sources.flatMap((s) => parseManifestEntries(s, { validate }));
}

/** For commands that need every object before doing anything: the first error stops them. */
export function readManifestObjects(io: IO, paths: string[], recursive: boolean): ManifestObject[] {
  return readManifestEntries(io, paths, recursive).map((e) => {
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
): MappedObject[] {
  return readManifestEntries(io, paths, recursive).map((m) => {
    if ('error' in m) return { source: m.source, object: { apiVersion: '', kind: '', metadata: {} }, error: m.error };
    const object = m.object as unknown as KObject;
    object.metadata ??= {};
    const info = infoForObject(object.apiVersion, object.kind);
    if (!info) {
      return {
        source: m.source,
        object,
        error: new CliError(
          `resource mapping not found for name: "${object.metadata.name ?? ''}" namespace: "${object.metadata.namespace ?? ''}" from "${m.source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\nensure CRDs are installed first`,
        ),
      };
    }
    if (info.namespaced) {
      const ns = object.metadata.namespace;
      if (ns && namespaceExplicit && ns !== namespace) {
        return {
          source: m.source,
          object,
          info,
          error: new CliError(
            `the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
          ),
        };
      }
      if (!ns) object.metadata.namespace = namespace;
    }
    return { source: m.source, object, info };
  });
}

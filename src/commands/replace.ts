/**
 * `kfake replace -f`: PUT each object of the files over the stored one
 * (staging/src/k8s.io/kubectl/pkg/cmd/replace/replace.go). An object without resourceVersion
 * takes the stored one (resource.Helper.Replace with overwrite), so only a stale version given in
 * the file is a Conflict. `--force` deletes the objects and creates them again.
 */
import { CliError, MultiError, StatusError } from '../api/errors.ts';
import { kindPrefix } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import { createObject, deleteObject, updateObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { mapManifestObjects, type MappedObject } from '../cli/manifests.ts';
import {
  DRY_RUN_FLAG,
  dryRunStrategy,
  fieldValidation,
  LAST_APPLIED,
  MutationPrinter,
  OUTPUT_FLAGS,
  withLastApplied,
} from '../cli/mutate.ts';
import { objectRef } from '../cli/output.ts';
import { parseGoDuration } from './run.ts';

export const replaceCommand: CommandDef = {
  name: 'replace',
  short: 'Replace a resource by file name or stdin',
  group: 'Advanced Commands:',
  long: `Replace a resource by file name or stdin.

 JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided. This can be obtained by

        $ kfake get TYPE NAME -o yaml`,
  example: `  # Replace a pod using the data in pod.json
  kfake replace -f ./pod.json
  
  # Replace a pod based on the JSON passed into stdin
  cat pod.json | kfake replace -f -
  
  # Update a single-container pod's image version (tag) to v4
  kfake get pod mypod -o yaml | sed 's/\\(image: myimage\\):.*$/\\1:v4/' | kfake replace -f -
  
  # Force replace, delete and then re-create the resource
  kfake replace --force -f ./pod.json`,
  usage: 'replace -f FILENAME [options]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.string('cascade', 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', { default: 'background', noOptDefault: 'background' }),
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-replace' }),
    flag.stringSlice('filename', 'The files that contain the configurations to replace.', { short: 'f' }),
    flag.bool('force', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.'),
    flag.int('grace-period', 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).', { default: -1 }),
    flag.string('kustomize', "Process a kustomization directory. This flag can't be used together with -f or -R.", { short: 'k' }),
    flag.string('raw', 'Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file.'),
    flag.bool('recursive', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.', { short: 'R' }),
    flag.bool('save-config', 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.'),
    flag.string('subresource', 'If specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.'),
    { name: 'timeout', kind: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
    flag.string('validate', `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`, { default: 'strict', noOptDefault: 'strict' }),
    flag.bool('wait', 'If true, wait for resources to be gone before returning. This waits for finalizers.'),
  ],
  run: runReplace,
};

interface Outcome {
  out?: string;
  err?: Error;
  warnings?: string[];
}

/**
 * util.CreateOrUpdateAnnotation: --save-config writes the last-applied annotation; without it an
 * annotation the file already carries is brought up to date with the file.
 */
function annotated(obj: KObject, saveConfig: boolean): KObject {
  return saveConfig || obj.metadata.annotations?.[LAST_APPLIED] !== undefined ? withLastApplied(obj) : obj;
}

async function runReplace(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const filenames = f.filename as string[];
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  if (filenames.length === 0) throw new CliError('must specify one of -f and -k');
  const validation = fieldValidation(f.validate as string);
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const force = f.force as boolean;
  if ((f['grace-period'] as number) >= 0 && !force) throw new CliError('--grace-period must have --force specified');
  if (parseGoDuration(f.timeout as string) !== 0 && !force) throw new CliError('--timeout must have --force specified');
  if (f.raw) throw new CliError('--raw is not supported by kfake');
  const subresource = f.subresource as string;
  if (subresource && !['status', 'scale'].includes(subresource)) {
    throw new CliError(`invalid subresource value: "${subresource}". Must be one of [status scale]`);
  }
  if (subresource === 'scale') throw new CliError('the scale subresource is not supported by kfake');
  const ctx = commandContext(inv);
  const printer = new MutationPrinter(f, dryRun);
  const mapped = mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit, {
    validate: validation !== 'Ignore',
  });
  const saveConfig = f['save-config'] as boolean;

  if (force) {
    await forceReplace(inv, mapped, { printer, saveConfig, validation, output: (f.output as string) ?? '' });
    return;
  }

  const replace = (base: ApiContext): Outcome[] =>
    mapped.map((m) => {
      if (m.error || !m.info) return { err: m.error };
      const obj = annotated(m.object, saveConfig);
      if (dryRun === 'client') return { out: printer.line(obj, 'replaced') };
      const api: ApiContext = { ...base, fieldValidation: validation, warnings: [] };
      try {
        const ns = m.info.namespaced ? (obj.metadata.namespace ?? '') : '';
        // Helper.Replace: without a resourceVersion the stored one is used (overwrite).
        const live = api.state.get(m.info.resource, ns, obj.metadata.name ?? '');
        const body = structuredClone(obj);
        if (!body.metadata.resourceVersion && live) body.metadata.resourceVersion = live.metadata.resourceVersion;
        const { object } = updateObject(api, body, subresource === 'status' ? { subresource: 'status' } : {});
        base.checkpoint?.();
        return { out: printer.line(object, 'replaced'), warnings: api.warnings };
      } catch (e) {
        if (e instanceof StatusError) return { err: e.withMessagePrefix(`error when replacing "${m.source}": `) };
        throw e;
      }
    });
  const outcomes =
    dryRun === 'client'
      ? replace({ state: await ctx.session.read(), now: ctx.session.now(), rng: { next: () => 0, int: () => 0 } })
      : await ctx.session.transaction(replace, { dryRun: dryRun === 'server' });
  report(inv, outcomes);
}

function report(inv: Invocation, outcomes: Outcome[]): void {
  for (const o of outcomes) {
    for (const w of o.warnings ?? []) inv.io.err(`Warning: ${w}\n`);
    if (o.out) inv.io.out(o.out);
  }
  const errors = outcomes.flatMap((o) => (o.err ? [o.err] : []));
  if (errors.length) throw new MultiError(errors);
}

interface ForceOptions {
  printer: MutationPrinter;
  saveConfig: boolean;
  validation: ReturnType<typeof fieldValidation>;
  output: string;
}

/**
 * forceReplace: delete every object of the files (those that do not exist are skipped), let
 * the deletion and its cascade finish, then create the objects from the files. Errors of the
 * second step are not tied to a file, as kubectl reports them. kubectl's delete and create here
 * do not look at --dry-run (only the printed lines do), so neither does kfake.
 */
async function forceReplace(inv: Invocation, mapped: MappedObject[], o: ForceOptions): Promise<void> {
  const ctx = commandContext(inv);
  const bad = mapped.flatMap((m) => (m.error ? [m.error] : []));
  if (bad.length) throw new MultiError(bad);
  const deleted = await ctx.session.transaction((api) =>
    mapped.flatMap((m) => {
      const info = m.info!;
      const ns = info.namespaced ? (m.object.metadata.namespace ?? '') : '';
      const live = api.state.get(info.resource, ns, m.object.metadata.name ?? '');
      if (!live) return [];
      deleteObject(api, info, ns, live.metadata.name!);
      return [o.output === 'name' ? `${objectRef(live)}\n` : `${kindPrefix(info)} "${live.metadata.name}" deleted\n`];
    }),
  );
  inv.io.out(deleted.join(''));
  if (mapped.length === 0) throw new CliError('no objects passed to replace');
  const outcomes = await ctx.session.transaction((base) =>
    mapped.map((m): Outcome => {
      const api: ApiContext = { ...base, fieldValidation: o.validation, warnings: [] };
      const obj = structuredClone(annotated(m.object, o.saveConfig));
      delete obj.metadata.resourceVersion;
      try {
        return { out: o.printer.line(createObject(api, obj), 'replaced'), warnings: api.warnings };
      } catch (e) {
        if (e instanceof StatusError) return { err: e };
        throw e;
      }
    }),
  );
  report(inv, outcomes);
}

/**
 * `kfake apply -f`: client-side apply (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go and
 * patcher.go). A new object is created with the last-applied-configuration annotation; an
 * existing one gets the three-way strategic merge patch between the last applied configuration,
 * the file and the live object, so fields removed from the file are removed and fields the
 * server set (clusterIP, nodePorts, status) stay. One bad object does not stop the others.
 */
import { CliError, MultiError, StatusError } from '../api/errors.ts';
import { apiVersionOf, type ResourceInfo } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import { createObject, updateObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { EMPTY_NAME, mapManifestObjects, type MappedObject } from '../cli/manifests.ts';
import {
  changeCauseRecorder,
  DRY_RUN_FLAG,
  dryRunStrategy,
  LAST_APPLIED,
  MutationPrinter,
  OUTPUT_FLAGS,
  fieldValidation,
  recordFlag,
  withLastApplied,
  type DryRun,
} from '../cli/mutate.ts';
import { createThreeWayMergePatch, strategicMergePatch } from '../patch/strategic.ts';
import { toCompactJson } from '../printers/json.ts';
import { FILENAME_FLAGS } from './get.ts';

export const applyCommand: CommandDef = {
  name: 'apply',
  short: 'Apply a configuration to a resource by file name or stdin',
  group: 'Advanced Commands:',
  long: `Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.

 JSON and YAML formats are accepted.`,
  example: `  # Apply the configuration in pod.json to a pod
  kfake apply -f ./pod.json
  
  # Apply the JSON passed into stdin to a pod
  cat pod.json | kfake apply -f -
  
  # Apply every manifest in a directory, and in its subdirectories
  kfake apply -R -f manifests/`,
  usage: 'apply (-f FILENAME | -k DIRECTORY) [flags] [options]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-client-side-apply' }),
    ...FILENAME_FLAGS,
    flag.bool('force', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.'),
    flag.bool('overwrite', 'Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration', { default: true }),
    flag.bool('prune', 'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.'),
    recordFlag(),
    flag.string('selector', 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.', { short: 'l' }),
    flag.bool('server-side', 'If true, apply runs in the server instead of the client.'),
    flag.string('validate', `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`, { default: 'strict', noOptDefault: 'strict' }),
  ],
  run: runApply,
};

const groupKind = (info: ResourceInfo) => `${info.group}/${info.kind}`;

/** What kubectl's Info prints as (`%v` in the apply patch error). */
function infoText(info: ResourceInfo, obj: KObject): string {
  const gv = apiVersionOf(info);
  const g = info.group ? gv : `/${gv}`;
  return `Resource: "${g}, Resource=${info.resource}", GroupVersionKind: "${g}, Kind=${info.kind}"\nName: "${obj.metadata.name ?? ''}", Namespace: "${info.namespaced ? (obj.metadata.namespace ?? '') : ''}"`;
}

interface Outcome {
  out?: string;
  err?: Error;
  warning?: string;
}

/** Apply one object inside the transaction; returns its line or its error. */
export function applyOne(
  api: ApiContext,
  m: MappedObject,
  printer: MutationPrinter,
  dryRun: DryRun,
): Outcome {
  if (m.error || !m.info) return { err: m.error };
  const info = m.info;
  const obj = m.object;
  const name = obj.metadata.name;
  if (!name) {
    if (obj.metadata.generateName) return { err: new CliError(`from ${m.source}: cannot use generate name with apply`) };
    return { err: new CliError(`error when retrieving current configuration of:\n${infoText(info, obj)}\nfrom server for: "${m.source}": ${EMPTY_NAME}`) };
  }
  const modified = withLastApplied(obj);
  const current = api.state.get(info.resource, info.namespaced ? obj.metadata.namespace ?? '' : '', name);
  if (!current) {
    try {
      const created = dryRun === 'client' ? modified : createObject(api, modified);
      return { out: printer.line(created, 'created') };
    } catch (e) {
      if (e instanceof StatusError) return { err: e.withMessagePrefix(`error when creating "${m.source}": `) };
      throw e;
    }
  }
  if (dryRun === 'client') return { out: printer.line(current, 'configured') };

  const originalText = current.metadata.annotations?.[LAST_APPLIED];
  let warning: string | undefined;
  if (originalText === undefined) {
    warning = `Warning: resource ${info.resource}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`;
  }
  let original: unknown;
  try {
    original = originalText ? JSON.parse(originalText) : undefined;
  } catch {
    original = undefined;
  }
  const patch = createThreeWayMergePatch(original, modified, current, groupKind(info), true);
  if (Object.keys(patch).length === 0) return { out: printer.line(current, 'unchanged'), warning };
  const patchText = toCompactJson(patch);
  try {
    const merged = strategicMergePatch(current, patch, groupKind(info)) as KObject;
    // kubectl sends the patch without resourceVersion: the server applies it to what it has.
    delete merged.metadata.resourceVersion;
    const result = updateObject(api, merged);
    return { out: printer.line(result.object, 'configured'), warning };
  } catch (e) {
    if (e instanceof StatusError) {
      const inner = e.withMessagePrefix(`error when patching "${m.source}": `);
      return {
        err: inner.withMessagePrefix(`error when applying patch:\n${patchText}\nto:\n${infoText(info, current)}\nfor: "${m.source}": `),
        warning,
      };
    }
    throw e;
  }
}

async function runApply(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const ctx = commandContext(inv);
  const filenames = f.filename as string[];
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  if (filenames.length === 0) throw new CliError('must specify one of -f and -k');
  if (f['server-side']) throw new CliError('--server-side is not supported by kfake; use client-side apply');
  if (f.prune) throw new CliError('--prune is not supported by kfake');
  const validation = fieldValidation(f.validate as string);
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const printer = new MutationPrinter(f, dryRun);
  const recorder = changeCauseRecorder(inv);
  // applyOneObject records first, so the change-cause is also in the last-applied configuration.
  const mapped = mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit, {
    validate: validation !== 'Ignore',
  }).map((m) =>
    recorder && !m.error ? { ...m, object: recorder.record(m.object) } : m,
  );
  if (mapped.length === 0) throw new CliError('no objects passed to apply');

  const run = (base: ApiContext) =>
    mapped.map((m) => {
      const api: ApiContext = { ...base, fieldValidation: validation, warnings: [] };
      const outcome = applyOne(api, m, printer, dryRun);
      base.checkpoint?.();
      return { ...outcome, serverWarnings: api.warnings! };
    });
  const outcomes =
    dryRun === 'client'
      ? run({ state: await ctx.session.read(), now: ctx.session.now(), rng: { next: () => 0, int: () => 0 } })
      : await ctx.session.transaction(run, { dryRun: dryRun === 'server' });

  for (const o of outcomes) {
    if (o.warning) inv.io.err(o.warning);
    for (const w of o.serverWarnings) inv.io.err(`Warning: ${w}\n`);
    if (o.out) inv.io.out(o.out);
  }
  const errors = outcomes.flatMap((o) => (o.err ? [o.err] : []));
  if (errors.length) throw new MultiError(errors);
}


/**
 * `kfake create -f`: create objects from files (staging/src/k8s.io/kubectl/pkg/cmd/create/create.go).
 * An object that exists already is an AlreadyExists error; the others are still created.
 * The `create <kind>` generators are subcommands registered beside this one.
 */
import { CliError, MultiError, StatusError } from '../api/errors.ts';
import { createObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { mapManifestObjects } from '../cli/manifests.ts';
import {
  changeCauseRecorder,
  DRY_RUN_FLAG,
  dryRunStrategy,
  fieldValidation,
  MutationPrinter,
  OUTPUT_FLAGS,
  recordFlag,
  withLastApplied,
} from '../cli/mutate.ts';
import { FILENAME_FLAGS } from './get.ts';
import { createSubcommands } from './create-generators.ts';

export const createCommand: CommandDef = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  group: 'Basic Commands (Beginner):',
  long: `Create a resource from a file or from stdin.

 JSON and YAML formats are accepted.`,
  example: `  # Create a pod using the data in pod.json
  kfake create -f ./pod.json
  
  # Create a pod based on the JSON passed into stdin
  cat pod.json | kfake create -f -`,
  usage: 'create -f FILENAME [flags] [options]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.bool('edit', 'Edit the API resource before creating'),
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-create' }),
    ...FILENAME_FLAGS,
    flag.string('raw', 'Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.'),
    recordFlag(),
    flag.bool('save-config', "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
    flag.string('selector', 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.', { short: 'l' }),
    flag.string('validate', 'Must be one of: strict (or true), warn, ignore (or false).', { default: 'strict', noOptDefault: 'strict' }),
    flag.bool('windows-line-endings', 'Only relevant if --edit=true. Defaults to the line ending native to your platform.'),
  ],
  subcommands: createSubcommands,
  run: runCreate,
};

async function runCreate(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const ctx = commandContext(inv);
  const filenames = f.filename as string[];
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  if (f.edit) throw new CliError('--edit is not supported by kfake create; use kfake edit after creating');
  if (inv.args.length > 0) {
    throw new CliError(`Unexpected args: [${inv.args.join(' ')}]`, { usageCommand: 'create' });
  }
  if (filenames.length === 0) throw new CliError('must specify one of -f and -k');
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const printer = new MutationPrinter(f, dryRun);
  const validation = fieldValidation(f.validate as string);
  const mapped = mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit, {
    validate: validation !== 'Ignore',
  });
  if (mapped.length === 0) throw new CliError('no objects passed to create');
  const saveConfig = f['save-config'] as boolean;
  const recorder = changeCauseRecorder(inv);

  const run = (base: ApiContext) =>
    mapped.map((m): { out?: string; err?: Error; warnings?: string[] } => {
      if (m.error) return { err: m.error };
      // A null metadata takes neither the saved configuration nor the change-cause (see asRead).
      if (dryRun === 'client' && m.asRead) return { out: printer.line(m.asRead, 'created') };
      // The saved configuration first, then the change-cause (so the former leaves it out).
      const configured = saveConfig ? withLastApplied(m.object) : m.object;
      const obj = recorder ? recorder.record(configured) : configured;
      if (dryRun === 'client') return { out: printer.line(obj, 'created') };
      const api: ApiContext = { ...base, fieldValidation: validation, warnings: [] };
      try {
        const created = createObject(api, obj);
        base.checkpoint?.();
        return { out: printer.line(created, 'created'), warnings: api.warnings };
      } catch (e) {
        if (e instanceof StatusError) return { err: e.withMessagePrefix(`error when creating "${m.source}": `) };
        throw e;
      }
    });
  const outcomes =
    dryRun === 'client'
      ? run({ state: await ctx.session.read(), now: ctx.session.now(), rng: { next: () => 0, int: () => 0 } })
      : await ctx.session.transaction(run, { dryRun: dryRun === 'server' });
  for (const o of outcomes) {
    for (const w of o.warnings ?? []) inv.io.err(`Warning: ${w}\n`);
    if (o.out) inv.io.out(o.out);
  }
  const errors = outcomes.flatMap((o) => (o.err ? [o.err] : []));
  if (errors.length) throw new MultiError(errors);
}

/**
 * `kfake patch`: change fields of existing objects with a strategic merge patch (the default),
 * a JSON merge patch or a JSON patch (kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go).
 * The server applies the patch to the stored object and then runs the normal update, so the
 * result is defaulted, allocated and validated like any other write; a patch that changes
 * nothing is reported as `patched (no change)`. `--local` patches the objects of -f files on
 * the client and prints them.
 */
import fs from 'node:fs';
import { CliError, MultiError, StatusError } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { ApiContext } from '../apiserver/api.ts';
import { hasStatusSubresource } from '../apiserver/strategy.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { changeCauseRecorder, DRY_RUN_FLAG, dryRunStrategy, MutationPrinter, OUTPUT_FLAGS, recordFlag, type ChangeCauseRecorder } from '../cli/mutate.ts';
import type { ClusterState } from '../store/state.ts';
import { FILENAME_FLAGS } from './get.ts';
import {
  applyPatchLocally,
  hasScaleSubresource,
  PATCH_TYPES,
  patchBodyFromUser,
  patchObject,
  scaleOf,
  unknownPath,
  type PatchType,
} from './meta-patch.ts';
import { planTargets, visitTargets, type TargetRef, type Visited } from './meta-targets.ts';
import { jsonEqual } from '../util/json-equal.ts';
import { readFileErrorText } from '../util/errno.ts';

export const patchCommand: CommandDef = {
  name: 'patch',
  short: 'Update fields of a resource',
  group: 'Advanced Commands:',
  long: `Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

 JSON and YAML formats are accepted.

 Note: Strategic merge patch is not supported for custom resources.`,
  example: `  # Partially update a node using a strategic merge patch, specifying the patch as JSON
  kfake patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'
  
  # Partially update a node using a strategic merge patch, specifying the patch as YAML
  kfake patch node k8s-node-1 -p $'spec:\\n unschedulable: true'
  
  # Partially update a node identified by the type and name specified in "node.json" using strategic merge patch
  kfake patch -f node.json -p '{"spec":{"unschedulable":true}}'
  
  # Update a container's image; spec.containers[*].name is required because it's a merge key
  kfake patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'
  
  # Update a container's image using a JSON patch with positional arrays
  kfake patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'
  
  # Update a deployment's replicas through the 'scale' subresource using a merge patch
  kfake patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'`,
  usage: 'patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-patch' }),
    { ...FILENAME_FLAGS[0], usage: 'Filename, directory, or URL to files identifying the resource to update' },
    ...FILENAME_FLAGS.slice(1),
    flag.bool('local', 'If true, patch will operate on the content of the file, not the server-side resource.'),
    flag.string('patch', 'The patch to be applied to the resource JSON file.', { short: 'p' }),
    flag.string('patch-file', 'A file containing a patch to be applied to the resource.'),
    recordFlag(),
    flag.string('subresource', 'If specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.'),
    flag.string('type', 'The type of patch being provided; one of [json merge strategic]', { default: 'strategic' }),
  ],
  run: runPatch,
};

/** os.ReadFile's error as Go prints it (`open x: no such file or directory`). */
function readPatchFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const reason = readFileErrorText(path, e);
    throw new CliError(`unable to read patch file: ${reason}`);
  }
}

/**
 * --record: once the patch is in, a merge patch of its own sets the change-cause, through the
 * same subresource; if that fails the command goes on with the object the first patch returned
 * (patch.go only logs the error).
 */
function recordPatched(api: ApiContext, recorder: ChangeCauseRecorder, ref: TargetRef, patched: KObject, subresource: string): KObject {
  try {
    return patchObject(api, {
      ...ref,
      type: 'merge',
      body: recorder.mergePatch(patched),
      subresource: (subresource || undefined) as 'status' | 'scale' | undefined,
    }).object;
  } catch (e) {
    if (e instanceof StatusError) return patched;
    throw e;
  }
}

/** The name kubectl prints for an object; the Scale of --subresource=scale is autoscaling's. */
function printLine(printer: MutationPrinter, output: string, obj: KObject, verb: string): string {
  if (obj.kind !== 'Scale' || (output && output !== 'name')) return printer.line(obj, verb);
  const ref = `scale.autoscaling/${obj.metadata.name}`;
  return output ? `${ref}\n` : `${ref} ${verb}\n`;
}

async function runPatch(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  // The operation replaces the dry-run suffix kubectl prepared: patch never prints "(dry run)".
  const printer = new MutationPrinter(f, 'none');
  const output = f.output as string;
  const patchText = f.patch as string;
  const patchFile = f['patch-file'] as string;
  const local = f.local as boolean;
  const typeFlag = f.type as string;
  const subresource = f.subresource as string;
  const recorder = changeCauseRecorder(inv);
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');

  if (patchText && patchFile) throw new CliError('cannot specify --patch and --patch-file together');
  if (!patchText && !patchFile) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
  if (local && inv.args.length > 0) throw new CliError('cannot specify --local and server resources');
  if (local && dryRun === 'server') throw new CliError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  const type = (typeFlag ? typeFlag.toLowerCase() : 'strategic') as PatchType;
  if (!PATCH_TYPES.includes(type)) throw new CliError(`--type must be one of [json merge strategic], not "${typeFlag}"`);

  const body = patchBodyFromUser(patchFile ? readPatchFile(patchFile) : patchText, patchText);
  const ctx = commandContext(inv);
  const plan = planTargets({
    args: inv.args,
    filenames: f.filename as string[],
    recursive: f.recursive as boolean,
    selector: '',
    fieldSelector: '',
    all: false,
    allNamespaces: false,
    namespace: ctx.namespace,
    namespaceExplicit: ctx.namespaceExplicit,
    local,
    program: inv.program,
    io: inv.io,
  });

  /** GET through the subresource: the object itself for /status, its Scale for /scale. */
  const throughSubresource = (v: Visited): Visited => {
    if ('error' in v || !subresource || v.ref.fileObject) return v;
    if (subresource === 'status' && hasStatusSubresource(v.ref.info.resource)) return v;
    if (subresource === 'scale' && hasScaleSubresource(v.ref.info)) return { ref: v.ref, object: scaleOf(v.object) };
    return { error: unknownPath() };
  };
  const visit = (state: ClusterState | undefined) =>
    visitTargets(plan, state, { allNamespaces: false, namespace: ctx.namespace, latest: false, now: ctx.session.now() }).map(throughSubresource);

  const run = (visited: Visited[], api: ApiContext | undefined) => {
    let out = '';
    let warnings = '';
    const errors: Error[] = [];
    let count = 0;
    for (const v of visited) {
      if ('error' in v) {
        errors.push(v.error);
        continue;
      }
      count++;
      try {
        let patched: KObject;
        let shown: KObject | undefined;
        if (api) {
          if (!['', 'status', 'scale'].includes(subresource)) throw unknownPath();
          const result = patchObject(api, {
            info: v.ref.info,
            namespace: v.ref.namespace,
            name: v.ref.name,
            type,
            body,
            subresource: (subresource || undefined) as 'status' | 'scale' | undefined,
          });
          warnings += result.warnings.map((w) => `Warning: ${w}\n`).join('');
          patched = result.object;
          if (recorder) shown = recordPatched(api, recorder, v.ref, patched, subresource);
        } else {
          patched = applyPatchLocally(v.object, type, body, v.ref.info);
        }
        // Whether it patched is decided before the change-cause is recorded.
        out += printLine(printer, output, shown ?? patched, jsonEqual(v.object, patched) ? 'patched (no change)' : 'patched');
      } catch (e) {
        errors.push(e as Error);
      }
    }
    if (errors.length === 0 && count === 0) errors.push(new CliError('no objects passed to patch'));
    return { out, warnings, errors };
  };

  let result: ReturnType<typeof run>;
  if (local) result = run(visit(undefined), undefined);
  else if (dryRun === 'client') result = run(visit(await ctx.session.read()), undefined);
  else result = await ctx.session.transaction((api) => run(visit(api.state), api), { dryRun: dryRun === 'server' });
  inv.io.err(result.warnings);
  inv.io.out(result.out);
  if (result.errors.length) throw new MultiError(result.errors);
}

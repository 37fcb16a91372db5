/**
 * `kfake edit`: open the objects in the user's editor and patch what changed
 * (staging/src/k8s.io/kubectl/pkg/cmd/edit/edit.go, cmd/util/editor/editoptions.go and editor.go).
 *
 * The objects are written to a temporary file with kubectl's comment header and handed to
 * $KUBE_EDITOR, $EDITOR or vi. An unchanged file cancels; a file that fails validation or that
 * the API server rejects as invalid is reopened with the reasons in the header; any other
 * failure leaves the file behind and says where it is. The editor runs outside any store lock;
 * the patches are applied in one transaction afterwards, as kubectl sends them afterwards.
 */
import { randomInt } from '../util/node-crypto.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, ExitError, goQuote, MultiError, notFound, StatusError } from '../api/errors.ts';
import { infoForObject, qualifiedResource, type ResourceInfo } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import { updateObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import type { IO } from '../cli/io.ts';
import { changeCauseRecorder, MutationPrinter, OUTPUT_FLAGS, recordFlag, withLastApplied } from '../cli/mutate.ts';
import { forDisplay } from '../cli/output.ts';
import { decodeGoYaml, GoFloat, GoInt, GoMap, parseManifestEntries, type GoValue } from '../manifest/parse.ts';
import { PatchError } from '../patch/patch-meta.ts';
import { createTwoWayMergePatch, strategicMergePatch } from '../patch/strategic.ts';
import { toCompactJson, toJson } from '../printers/json.ts';
import { toYaml } from '../printers/yaml.ts';
import { FILENAME_FLAGS } from './get.ts';
import { findObjects, type Target } from './rollout.ts';
import { goJsonSyntaxError } from './run.ts';

export const editCommand: CommandDef = {
  name: 'edit',
  short: 'Edit a resource on the server',
  group: 'Basic Commands (Intermediate):',
  long: `Edit a resource from the default editor.

 The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.

 You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.

 Editing is done with the API version used to fetch the resource. To edit using a specific API version, fully-qualify the resource, version, and group.

 The default format is YAML. To edit in JSON, specify "-o json".

 The flag --windows-line-endings can be used to force Windows line endings, otherwise the default for your operating system will be used.

 In the event an error occurs while updating, a temporary file will be created on disk that contains your unapplied changes. The most common error when updating a resource is another editor changing the resource on the server. When this occurs, you will have to apply your changes to the newer version of the resource, or update your temporary saved copy to include the latest resource version.`,
  example: `  # Edit the service named 'registry'
  kfake edit svc/registry
  
  # Use an alternative editor
  KUBE_EDITOR="nano" kfake edit svc/registry
  
  # Edit the job 'myjob' in JSON using the v1 API format
  kfake edit job.v1.batch/myjob -o json
  
  # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation
  kfake edit deployment/mydeployment -o yaml --save-config
  
  # Edit the 'status' subresource for the 'mydeployment' deployment
  kfake edit deployment mydeployment --subresource='status'`,
  usage: 'edit (RESOURCE/NAME | -f FILENAME) [options]',
  flags: [
    ...OUTPUT_FLAGS,
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-edit' }),
    { ...FILENAME_FLAGS[0], usage: 'Filename, directory, or URL to files to use to edit the resource' },
    FILENAME_FLAGS[1],
    flag.string('kustomize', "Process the kustomization directory. This flag can't be used together with -f or -R.", { short: 'k' }),
    flag.bool('output-patch', 'Output the patch if the resource is edited.'),
    recordFlag(),
    flag.bool('save-config', 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.'),
    flag.string('subresource', 'If specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.'),
    flag.string('validate', `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`, { default: 'strict', noOptDefault: 'strict' }),
    flag.bool('windows-line-endings', 'Defaults to the line ending native to your platform.'),
  ],
  run: runEdit,
};

const NO_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

// ------------------------------------------------------------------ the file the user edits

/** A reason the file is reopened: a headline and, for invalid objects, one line per cause. */
interface EditReason {
  head: string;
  other: string[];
}

/** hashOnLineBreak: continuation lines of a reason stay comments. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?=[^#])/g, '\n# ');
}

/** editHeader.writeTo (normal edit mode). */
export function editHeader(reasons: EditReason[]): string {
  let s =
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
    '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
    '# reopened with the relevant failures.\n#\n';
  for (const r of reasons) {
    s += `# ${hashOnLineBreak(r.head)}${r.other.length > 0 ? ':' : ''}\n`;
    for (const o of r.other) s += `# * ${hashOnLineBreak(o)}\n`;
    s += '#\n';
  }
  return s;
}

/** cmdutil.ManualStrip: drop comment lines (but not `#!` lines). */
export function manualStrip(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => ({ line, last: i === lines.length - 1 }))
    .filter(({ line }) => {
      const t = line.trim();
      return !(t.startsWith('#') && !t.startsWith('#!'));
    })
    .map(({ line, last }) => (last ? line : line + '\n'))
    .join('');
}

/** apimachinery yaml.ToJSON treats input starting with `{` as JSON already. */
function hasJsonPrefix(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** go-yaml's interface{} value as encoding/json would marshal it again. */
function goValueToPlain(v: GoValue): unknown {
  if (v instanceof GoMap) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of v.entries.values()) out[String(key instanceof GoInt || key instanceof GoFloat ? key.value : key)] = goValueToPlain(value);
    return out;
  }
  if (Array.isArray(v)) return v.map(goValueToPlain);
  if (v instanceof GoInt) return Number(v.value);
  if (v instanceof GoFloat) return v.value;
  return v;
}

/** yaml.ToJSON then json.Unmarshal (schemavalidation.Parse); throws with the decoder's message. */
function parseForValidation(text: string): unknown {
  if (hasJsonPrefix(text)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(goJsonSyntaxError(text));
    }
  }
  return goValueToPlain(decodeGoYaml(text));
}

/**
 * cmdutil.StripComments: the file as JSON when it converts (so formatting and comments do not
 * count as changes), else without its comment lines.
 */
export function stripComments(text: string): string {
  if (hasJsonPrefix(text)) return text;
  try {
    return toCompactJson(goValueToPlain(decodeGoYaml(text)));
  } catch {
    return manualStrip(text);
  }
}

/**
 * paramVerifyingSchema.ValidateBytes against a server that validates fields itself: only that
 * the file parses and names an apiVersion and a kind (schemavalidation.GetObjectKind).
 */
export function validationError(stripped: string): string | undefined {
  let obj: unknown;
  try {
    obj = parseForValidation(stripped);
  } catch (e) {
    return (e as Error).message;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return 'invalid object to validate';
  const fields = obj as Record<string, unknown>;
  const errs: string[] = [];
  const apiVersion = fields.apiVersion;
  if (apiVersion === undefined || apiVersion === null) errs.push('apiVersion not set');
  else if (typeof apiVersion !== 'string') errs.push("apiVersion isn't string type");
  else if (apiVersion.split('/').length > 2) errs.push(`unexpected GroupVersion string: ${apiVersion}`);
  const kind = fields.kind;
  if (kind === undefined || kind === null) errs.push('kind not set');
  else if (typeof kind !== 'string') errs.push("kind isn't string type");
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

/** hasLines: anything besides blank lines and comments. */
function hasLines(text: string): boolean {
  return text.split('\n').some((l) => {
    const t = l.trim();
    return t.length > 0 && t[0] !== '#';
  });
}

// ------------------------------------------------------------------ the editor

/**
 * defaultEnvEditor: KUBE_EDITOR, then EDITOR, then vi. A command with spaces is split on them,
 * unless it also has quotes or backslashes: then $SHELL -c runs it.
 */
function editorCommand(env: NodeJS.ProcessEnv): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

/**
 * Editor.LaunchTempFile: write the text to <tmp>/<program>-edit-<n><ext>, run the editor on it
 * with the terminal, and read back what was saved.
 */
function launchEditor(io: IO, program: string, ext: string, text: string): { edited: string; file: string } {
  const dir = io.env.TMPDIR || os.tmpdir();
  let file = '';
  for (let i = 0; i < 10000; i++) {
    file = path.join(dir, `${program}-edit-${randomInt(0, 2 ** 32)}${ext}`);
    try {
      fs.writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const { args, shell } = editorCommand(io.env);
  const argv = shell ? [...args.slice(0, -1), `${args[args.length - 1]} ${goQuote(file)}`] : [...args, file];
  // loaded here: only this command starts another program
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: io.env });
  const shown = args.join(' ');
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw Object.assign(
      new CliError(code === 'ENOENT' ? `unable to launch the editor "${shown}"` : `there was a problem with the editor "${shown}"`),
      { file },
    );
  }
  if (result.status !== 0) throw Object.assign(new CliError(`there was a problem with the editor "${shown}"`), { file });
  return { edited: fs.readFileSync(file, 'utf8'), file };
}

/** preservedFile: say where the user's work is before reporting the error. */
function preserved(io: IO, err: Error, file: string): Error {
  if (file && fs.existsSync(file)) io.err(`A copy of your changes has been stored to ${goQuote(file)}\n`);
  return err;
}

function removeFile(file: string): void {
  fs.rmSync(file, { force: true });
}

// ------------------------------------------------------------------ the command

interface PassResult {
  lines: string[];
  reasons: EditReason[];
  /** Objects the server found invalid (they are edited again). */
  invalid: number;
  retryable: number;
  notFound: number;
  errLines: string[];
}

async function runEdit(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const output = (f.output as string) || '';
  if (output && output !== 'yaml' && output !== 'json') {
    throw new CliError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
  }
  const subresource = f.subresource as string;
  if (subresource && subresource !== 'status') {
    throw new CliError(`invalid subresource value: "${subresource}". Must be one of [status]`);
  }
  const validate = !['false', 'ignore'].includes(f.validate as string);
  const recorder = changeCauseRecorder(inv);
  if (inv.args.length === 0 && (f.filename as string[]).length === 0) throw new CliError(NO_RESOURCES);
  const ctx = commandContext(inv);
  const found = findObjects(inv, await ctx.session.read(), ctx.namespace, ctx.namespaceExplicit, false);
  const missing = found.filter((x): x is Error => x instanceof Error);
  if (missing.length) throw new MultiError(missing);
  const targets = found as Target[];
  if (targets.length === 0) throw new CliError('edit cancelled, no objects found');

  const json = output === 'json';
  const ext = json ? '.json' : '.yaml';
  const crlf = (s: string) => ((f['windows-line-endings'] as boolean) ? s.replace(/\n/g, '\r\n') : s);
  const shown = targets.map((t) => forDisplay(t.obj));
  const document: unknown =
    shown.length === 1 ? shown[0] : { apiVersion: 'v1', items: shown, kind: 'List', metadata: {} };
  const first = targets[0];
  const firstRef = `${qualifiedResource(first.info)} ${goQuote(first.obj.metadata.name ?? '')}`;
  const printer = new MutationPrinter(f, 'none');

  let reasons: EditReason[] = [];
  let containsError = false;
  let original = '';
  let edited = '';
  let previousFile = '';
  for (;;) {
    let buf = json ? '' : editHeader(reasons);
    if (!containsError) {
      buf += json ? toJson(document) : toYaml(document);
      original = crlf(buf);
      buf = original;
    } else {
      buf = crlf(buf) + manualStrip(edited);
    }
    const editedBefore = edited;
    let file: string;
    try {
      ({ edited, file } = launchEditor(inv.io, inv.program, ext, buf));
    } catch (e) {
      throw preserved(inv.io, e as Error, previousFile);
    }
    if (containsError && stripComments(editedBefore) === stripComments(edited)) {
      throw preserved(inv.io, new CliError('Edit cancelled, no valid changes were saved.'), file);
    }
    if (previousFile) removeFile(previousFile);
    previousFile = '';

    if (validate) {
      const problem = validationError(stripComments(edited));
      if (problem !== undefined) {
        previousFile = file;
        containsError = true;
        reasons = [
          {
            head: `${firstRef} was not valid`,
            other: [`<nil>: Invalid value: "The edited file failed validation": ${problem}`],
          },
        ];
        inv.io.err(`error: ${firstRef} is invalid\n`);
        continue;
      }
    }
    if (stripComments(original) === stripComments(edited)) {
      removeFile(file);
      inv.io.err('Edit cancelled, no changes made.\n');
      return;
    }
    if (!hasLines(edited)) {
      removeFile(file);
      inv.io.err('Edit cancelled, saved file was empty.\n');
      return;
    }
    previousFile = file;
    reasons = [];

    let updated: KObject[];
    try {
      updated = parseEdited(edited);
    } catch (e) {
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: ${(e as Error).message}`, other: [] });
      continue;
    }
    containsError = false;
    for (const obj of updated) {
      const problem = namespaceProblem(obj, ctx.namespace);
      if (problem) throw preserved(inv.io, new CliError(problem), file);
    }
    // visitAnnotation: the last-applied configuration first, then the change-cause, so the
    // recorded command is part of the patch but not of the saved configuration.
    if (f['save-config']) updated = updated.map((o) => withLastApplied(o));
    if (recorder) updated = updated.map((o) => recorder.record(o));

    let pass: PassResult;
    try {
      pass = await ctx.session.transaction((api) =>
        patchAll(api, targets, updated, { printer, outputPatch: f['output-patch'] as boolean, subresource }),
      );
    } catch (e) {
      throw preserved(inv.io, e as Error, file);
    }
    inv.io.out(pass.lines.join(''));
    inv.io.err(pass.errLines.join(''));
    if (pass.retryable > 0) {
      inv.io.err(`You can run \`${inv.program} replace -f ${file}\` to try this update again.\n`);
      throw new ExitError(1);
    }
    if (pass.notFound > 0) {
      inv.io.err(`The edits you made on deleted resources have been saved to ${goQuote(file)}\n`);
      throw new ExitError(1);
    }
    if (pass.invalid === 0) {
      removeFile(file);
      return;
    }
    reasons = pass.reasons;
    containsError = true;
  }
}

/**
 * The edited objects, read as the builder reads the "edited-file" stream (documents, lists
 * flattened); anything it cannot read or map is a syntax error in kubectl's terms.
 */
function parseEdited(text: string): KObject[] {
  const objects: KObject[] = [];
  for (const entry of parseManifestEntries({ name: 'edited-file', text }, { validate: false })) {
    if ('error' in entry) throw entry.error;
    const obj = entry.object as unknown as KObject;
    obj.metadata ??= {};
    if (!infoForObject(obj.apiVersion, obj.kind)) {
      throw new CliError(
        `resource mapping not found for name: ${goQuote(obj.metadata.name ?? '')} namespace: ${goQuote(obj.metadata.namespace ?? '')} from "edited-file": no matches for kind ${goQuote(obj.kind)} in version ${goQuote(obj.apiVersion)}\nensure CRDs are installed first`,
      );
    }
    objects.push(obj);
  }
  return objects;
}

/** resource.RequireNamespace: the edit may not move an object to another namespace. */
function namespaceProblem(obj: KObject, namespace: string): string | undefined {
  const info = infoForObject(obj.apiVersion, obj.kind)!;
  if (!info.namespaced) return undefined;
  const ns = obj.metadata.namespace;
  if (!ns) {
    obj.metadata.namespace = namespace;
    return undefined;
  }
  if (ns === namespace) return undefined;
  return `the namespace from the provided object "${ns}" does not match the namespace "${namespace}". You must pass '--namespace=${ns}' to perform this operation.`;
}

interface PatchOptions {
  printer: MutationPrinter;
  outputPatch: boolean;
  subresource: string;
}

/**
 * visitToPatch: for every edited object, the two-way strategic merge patch between the object
 * as it was shown and as it was saved, sent like `kubectl patch` (no resourceVersion check
 * unless the edit changed it).
 */
function patchAll(api: ApiContext, originals: Target[], updated: KObject[], o: PatchOptions): PassResult {
  const pass: PassResult = { lines: [], reasons: [], invalid: 0, retryable: 0, notFound: 0, errLines: [] };
  for (const obj of updated) {
    const original = originals.find((t) => t.obj.metadata.uid === obj.metadata.uid);
    if (!original) throw new CliError(`no original object found for ${toCompactJson(obj)}`);
    const info = original.info;
    const before = forDisplay(original.obj);
    if (toCompactJson(before) === toCompactJson(obj)) {
      pass.lines.push(o.printer.line(obj, 'skipped'));
      continue;
    }
    const gk = `${info.group}/${info.kind}`;
    const patch = createTwoWayMergePatch(before, obj, gk);
    const meta = patch.metadata as Record<string, unknown> | undefined;
    if ('apiVersion' in patch || 'kind' in patch || (meta && 'name' in meta)) {
      throw new CliError('At least one of apiVersion, kind and name was changed');
    }
    if (o.outputPatch) pass.lines.push(`Patch: ${toCompactJson(patch)}\n`);
    const label = `${qualifiedResource(info)} ${goQuote(obj.metadata.name ?? '')}`;
    try {
      pass.lines.push(o.printer.line(applyPatch(api, info, original.obj, patch, o.subresource), 'edited'));
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      pass.errLines.push(addError(pass, e, label) + '\n');
    }
  }
  return pass;
}

/** The API server's PATCH: merge into the live object, then update it. */
function applyPatch(api: ApiContext, info: ResourceInfo, shown: KObject, patch: Record<string, unknown>, subresource: string): KObject {
  const ns = info.namespaced ? (shown.metadata.namespace ?? '') : '';
  const live = api.state.get(info.resource, ns, shown.metadata.name!);
  if (!live) throw notFound(info, shown.metadata.name!);
  let merged: KObject;
  try {
    merged = strategicMergePatch(live, patch, `${info.group}/${info.kind}`) as KObject;
  } catch (e) {
    if (e instanceof PatchError && e.status) throw e.status;
    throw e;
  }
  return updateObject(api, merged, subresource === 'status' ? { subresource: 'status' } : {}).object;
}

/** editResults.addError: what kind of failure it was, and the line kubectl prints for it. */
function addError(pass: PassResult, err: StatusError, label: string): string {
  if (err.reason === 'Invalid') {
    pass.invalid++;
    pass.reasons.push({
      head: `${label} was not valid`,
      other: (err.status.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`),
    });
    return `error: ${label} is invalid`;
  }
  if (err.reason === 'NotFound') {
    pass.notFound++;
    return `error: ${label} could not be found on the server`;
  }
  pass.retryable++;
  return `error: ${label} could not be patched: ${err.message}`;
}

/**
 * What every command that changes objects shares: `--dry-run`, the `kind/name verb` lines with
 * kubectl's dry-run suffixes, `-o` for printing the result instead, the last-applied
 * annotation that `apply` and `--save-config` keep, and the deprecated `--record` that writes
 * the command line into the change-cause annotation.
 */
import { CliError } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { FieldValidation } from '../api/schema/index.ts';
import { toCompactJson } from '../printers/json.ts';
import { createJsonMergePatch } from '../patch/merge-patch.ts';
import { flag, type FlagDef, type Invocation } from './command.ts';
import { objectRef, parseOutput, printMutated, type OutputFormat } from './output.ts';

export type DryRun = 'none' | 'client' | 'server';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const DRY_RUN_FLAG: FlagDef = flag.string(
  'dry-run',
  'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
  { default: 'none', noOptDefault: 'unchanged' },
);

export const OUTPUT_FLAGS: FlagDef[] = [
  flag.bool('allow-missing-template-keys', 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.', { default: true }),
  flag.string('output', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).', { short: 'o' }),
  flag.bool('show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.'),
  flag.string('template', 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].'),
];

/** GetDryRunStrategy: `--dry-run` alone is the deprecated "unchanged" (client); bad values fail. */
export function dryRunStrategy(value: string): DryRun {
  switch (value) {
    case '':
    case 'none':
    case 'false':
      return 'none';
    case 'client':
    case 'true':
    case 'unchanged':
      return 'client';
    case 'server':
      return 'server';
    default:
      throw new CliError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** Reports each changed object as a `kind/name verb` line, or prints it with `-o`. */
export class MutationPrinter {
  private readonly format: OutputFormat | undefined;
  private readonly dryRun: DryRun;
  private readonly allowMissingKeys: boolean;
  private first = true;

  constructor(flags: Record<string, unknown>, dryRun: DryRun) {
    this.format = parseOutput((flags.output as string) ?? '', { forGet: false, template: flags.template as string });
    this.dryRun = dryRun;
    this.allowMissingKeys = (flags['allow-missing-template-keys'] as boolean | undefined) ?? true;
  }

  get printsObjects(): boolean {
    return this.format !== undefined;
  }

  line(obj: KObject, verb: string): string {
    if (this.format) {
      const text = printMutated(obj, this.format, this.first, this.allowMissingKeys);
      this.first = false;
      return text;
    }
    return `${objectRef(obj)} ${verb}${dryRunSuffix(this.dryRun)}\n`;
  }
}

/**
 * The last-applied configuration kubectl stores (util.GetModifiedConfiguration): the object as
 * given, without that annotation but with `annotations: {}` left in place, as compact Go JSON
 * plus a newline.
 */
export function lastAppliedOf(obj: KObject): string {
  const copy = structuredClone(obj);
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  return toCompactJson(copy) + '\n';
}

/** The object with its last-applied annotation set, as apply and --save-config send it. */
export function withLastApplied(obj: KObject): KObject {
  const value = lastAppliedOf(obj);
  const copy = structuredClone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [LAST_APPLIED]: value };
  return copy;
}

/** kubectl --validate: strict (or true), warn, ignore (or false) -> the server's fieldValidation. */
export function fieldValidation(value: string): FieldValidation {
  switch (value) {
    case '':
    case 'strict':
    case 'true':
      return 'Strict';
    case 'warn':
      return 'Warn';
    case 'ignore':
    case 'false':
      return 'Ignore';
    default:
      throw new CliError(`invalid - validate option "${value}"; must be one of: strict (or true), warn, ignore (or false)`);
  }
}

/** polymorphichelpers.ChangeCauseAnnotation: why the object last changed, as `rollout history` shows it. */
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** RecordFlags.AddFlags (cli-runtime genericclioptions/record_flags.go): a bool, deprecated and hidden. */
export function recordFlag(): FlagDef {
  return flag.bool(
    'record',
    'Record current kubectl command in the resource annotation. If set to false, do not record the command. If set to true, record the command. If not set, default to updating the existing annotation value only if one already exists.',
    { hidden: true, deprecated: '--record will be removed in the future' },
  );
}

/**
 * parseCommandArguments: the program's name, every word of the command line that is not a
 * flag (command words included), then every flag given as ` --<long name>=<value as given>`.
 */
export function changeCauseText(inv: Invocation): string {
  const { words, flags } = inv.commandLine;
  const args = words.length ? ` ${words.join(' ')}` : '';
  return inv.program + args + flags.map((f) => ` --${f.name}=${f.value}`).join('');
}

/** ChangeCauseRecorder: puts the command line into an object's change-cause annotation. */
export interface ChangeCauseRecorder {
  readonly cause: string;
  /** Record: a copy of `obj` with the annotation set. */
  record<T extends KObject>(obj: T): T;
  /**
   * MakeRecordMergePatch: the JSON merge patch that sets the annotation on `obj` (`{}` when it
   * already holds this command), for commands that record with a request of their own.
   */
  mergePatch(obj: KObject): string;
}

/** RecordFlags.ToRecorder: a recorder when `--record` is true, otherwise nothing records. */
export function changeCauseRecorder(inv: Invocation): ChangeCauseRecorder | undefined {
  if (inv.flags.record !== true) return undefined;
  const cause = changeCauseText(inv);
  const record = <T extends KObject>(obj: T): T => {
    const copy = structuredClone(obj);
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [CHANGE_CAUSE]: cause };
    return copy;
  };
  return { cause, record, mergePatch: (obj) => toCompactJson(createJsonMergePatch(obj, record(obj))) };
}

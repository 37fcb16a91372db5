/**
 * What every command that changes objects shares: `--dry-run`, the `kind/name verb` lines with
 * kubectl's dry-run suffixes, `-o` for printing the result instead, and the last-applied
 * annotation that `apply` and `--save-config` keep.
 */
import { CliError } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { FieldValidation } from '../api/schema/index.ts';
import { toCompactJson } from '../printers/json.ts';
import { flag, type FlagDef } from './command.ts';
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

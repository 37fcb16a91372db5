/**
 * The one place that turns an error into what the user sees and the exit code, as kubectl's
 * cmdutil.CheckErr does (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go).
 */
import { CliError, ExitError, MultiError, StatusError } from '../api/errors.ts';
import { StoreCorruptError } from '../store/state.ts';

/** StandardErrorMessage: API errors get `Error from server (<Reason>): <message>`. */
function standardMessage(err: Error): string | undefined {
  if (err instanceof StatusError) {
    const s = err.status;
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message})`;
    if (s.reason) return `Error from server (${s.reason}): ${s.message}`;
    return `Error from server: ${s.message}`;
  }
  return undefined;
}

/** messageForError: used for every error inside an aggregate (no `error: ` prefix added). */
function messageForError(err: Error): string {
  if (err instanceof MultiError) return err.errors.map(messageForError).join('\n');
  return standardMessage(err) ?? err.message;
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}

export interface RenderedError {
  text: string;
  exitCode: number;
}

export function renderError(errIn: unknown, programName: string): RenderedError {
  let err = errIn instanceof Error ? errIn : new Error(String(errIn));
  // An aggregate of one error is that error.
  if (err instanceof MultiError && err.errors.length === 1) err = err.errors[0];

  if (err instanceof ExitError) return { text: '', exitCode: err.exitCode };

  if (err instanceof StatusError && err.status.reason === 'Invalid') {
    const d = err.status.details;
    let s = 'The request is invalid';
    // With no details at all, kubectl adds the server's message.
    if (!d) return { text: withNewline(err.status.message ? `${s}: ${err.status.message}` : s), exitCode: 1 };
    if (d.kind || d.name) s = `The ${d.kind} "${d.name}" is invalid`;
    const causes = d.causes ?? [];
    if (causes.length === 0) return { text: withNewline(s), exitCode: 1 };
    const lines = [...new Set(causes.map((c) => `${c.field ?? ''}: ${c.message}`))];
    if (lines.length === 1) return { text: `${s}: ${lines[0]}\n`, exitCode: 1 };
    return { text: `${s}: \n${lines.map((l) => `* ${l}\n`).join('')}`, exitCode: 1 };
  }

  if (err instanceof MultiError) {
    return { text: err.errors.map((e) => withNewline(messageForError(e))).join(''), exitCode: 1 };
  }

  if (err instanceof CliError) {
    let text = err.raw || err.message.startsWith('error: ') ? err.message : `error: ${err.message}`;
    text = withNewline(text);
    if (err.usageCommand) text += `See '${programName} ${err.usageCommand} -h' for help and examples\n`;
    return { text, exitCode: err.exitCode };
  }

  const std = standardMessage(err);
  if (std) return { text: withNewline(std), exitCode: 1 };

  if (err instanceof StoreCorruptError) return { text: `error: ${err.message}\n`, exitCode: 1 };

  // Anything else is a bug in kfake, not a user error: say so plainly, without a stack trace.
  const detail = err.message.startsWith('error: ') ? err.message.slice(7) : err.message;
  return { text: withNewline(`error: ${detail}`), exitCode: 1 };
}

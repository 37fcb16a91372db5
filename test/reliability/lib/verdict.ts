/**
 * Judging one run of kfake on hostile input: it ended (no hang), did not crash, exited 0 or 1,
 * explained a failure on stderr, left the store byte for byte as it was unless it reported a
 * change, and really made the changes it reported.
 */
import type { RunResult } from './sandbox.ts';
import type { StoreSnapshot } from './store-check.ts';

/**
 * Signs of a crash rather than an error message: a stack trace, or a JavaScript runtime error's
 * name or message (kubectl's own messages come from Go and never read like these).
 */
export const CRASH =
  /^\s+at |TypeError|RangeError|ReferenceError|EvalError|InternalError|Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|Maximum call stack|Invalid string length|Invalid array length|out of memory|\[object Object\]|undefined is not|null is not/m;

/** Lines that report an object written: `service/web created`, `configmap "x" deleted`, ... */
const WROTE = /^([a-z0-9.-]+)\/(\S+) (created|configured|replaced|unchanged|patched|labeled|annotated|scaled|edited|exposed|restarted|image updated|rolled back)$/;
const DELETED = /^([a-z0-9.-]+) "([^"]+)" deleted$/;

export interface Reported {
  written: { kind: string; name: string }[];
  deleted: { kind: string; name: string }[];
}

export function reportedChanges(stdout: string): Reported {
  const out: Reported = { written: [], deleted: [] };
  for (const line of stdout.split('\n')) {
    let m = WROTE.exec(line);
    if (m && m[3] !== 'unchanged') out.written.push({ kind: m[1].split('.')[0], name: m[2] });
    else if ((m = DELETED.exec(line))) out.deleted.push({ kind: m[1].split('.')[0], name: m[2] });
  }
  return out;
}

/** The stored objects of a kind (`deployment` matches the `deployments` resource) and name. */
export function stored(snap: StoreSnapshot, kind: string, name: string): boolean {
  const stem = kind.replace(/y$/, '');
  for (const key of snap.objects.keys()) {
    const [resource, , n] = key.split('/');
    if (n === name && resource.startsWith(stem)) return true;
  }
  return false;
}

/** Problems with a run that must not change anything, or that failed without saying so. */
export function runProblems(r: RunResult): string[] {
  const out: string[] = [];
  if (r.signal) out.push(`ended by ${r.signal}`);
  if (CRASH.test(r.stderr) || CRASH.test(r.stdout.slice(0, 2000))) out.push(`crashed: ${firstLines(r.stderr || r.stdout)}`);
  if (r.code !== 0 && r.code !== 1) out.push(`exit ${r.code}`);
  // A command group without its subcommand prints its help instead, as kubectl's do.
  if (r.code === 1 && r.stderr.trim() === '' && !r.stdout.includes('Available Commands:')) out.push('exit 1 without a message');
  return out;
}

export function firstLines(s: string, n = 3): string {
  const lines = s.split('\n').slice(0, n).map((l) => (l.length > 300 ? l.slice(0, 300) + '...' : l));
  return lines.join('\n');
}

/** The first stderr line, reduced to its shape (for the figures: which kinds of error were seen). */
export function errorShape(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim()) ?? '';
  const m = /^(error: [a-z ]+?(?=["(:]|$)|Error from server \([A-Za-z]+\)|Error from server|The [A-Za-z]+ ".*" is invalid|Warning|[a-z.]+ "[^"]*" deleted)/.exec(line);
  return m ? m[1].replace(/".*"/, '"…"') : line.slice(0, 40);
}

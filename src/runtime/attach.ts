/**
 * Attaching to a running container (`kubectl run -i/-t`, `kubectl attach`): when the container's
 * process is an interactive program (a shell), a registered handler runs the session against the
 * user's terminal or standard input and returns the exit code. Without a handler, or for a process
 * that is not interactive, the caller falls back to the container's logs.
 */
import type { Container, Pod } from '../api/types.ts';
import type { IO } from '../cli/io.ts';
import type { Session } from '../cluster/session.ts';

export interface AttachRequest {
  pod: Pod;
  container: Container;
  io: IO;
  /** -t: a terminal (prompt, echo) */
  tty: boolean;
  /** -i: standard input is connected */
  stdin: boolean;
  session: Session;
}

/** Runs an interactive session and returns its exit code, or undefined when the process is not interactive. */
export type AttachHandler = (req: AttachRequest) => Promise<number | undefined>;

let handler: AttachHandler | undefined;

export function setAttachHandler(h: AttachHandler): void {
  handler = h;
}

export async function attachInteractive(req: AttachRequest): Promise<number | undefined> {
  return handler ? handler(req) : undefined;
}

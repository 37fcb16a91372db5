/**
 * Attaching to a running container (`kubectl run -i/-t`, `kubectl attach`): when the container's
 * process is an interactive program (a shell), the handler runs the session against the user's
 * terminal or standard input and returns the exit code. The handler is the network simulation's
 * shell (src/network/interactive.ts); for a process that is not interactive it returns
 * undefined and the caller falls back to the container's logs.
 */
import type { Container, Pod } from '../api/types.ts';
import type { IO } from '../cli/io.ts';
import type { Session } from '../cluster/session.ts';
import { attachShell } from '../network/interactive.ts';

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

let handler: AttachHandler = attachShell;

/** Replace the handler (tests install simpler ones). */
export function setAttachHandler(h: AttachHandler): void {
  handler = h;
}

export async function attachInteractive(req: AttachRequest): Promise<number | undefined> {
  return handler(req);
}

/**
 * What a command needs besides its flags: the cluster session (store path from --store or
 * KFAKE_STORE, clock from KFAKE_NOW, seed from KFAKE_SEED) and the namespace it works in.
 */
import { Session, resolveStorePath } from '../cluster/session.ts';
import { clockFromEnv } from '../util/clock.ts';
import type { Invocation } from './command.ts';

export interface CommandContext {
  inv: Invocation;
  session: Session;
  /** `-n`, or `default`. */
  namespace: string;
  /** Whether `-n` was given (kubectl's enforceNamespace). */
  namespaceExplicit: boolean;
}

export function commandContext(inv: Invocation): CommandContext {
  const env = inv.io.env;
  const ns = (inv.flags.namespace as string) || '';
  const session = new Session({
    file: resolveStorePath(inv.flags.store as string, env),
    clock: clockFromEnv(env),
    seed: env.KFAKE_SEED,
    lockTimeoutMs: env.KFAKE_LOCK_TIMEOUT ? Number(env.KFAKE_LOCK_TIMEOUT) * 1000 : undefined,
    onLockWait: (msg) => inv.io.err(`${inv.program}: ${msg}\n`),
  });
  return { inv, session, namespace: ns || 'default', namespaceExplicit: ns !== '' };
}

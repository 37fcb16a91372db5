/**
 * The clock. KFAKE_NOW (an RFC 3339 time) fixes it so outputs can be golden; otherwise it is
 * the real time.
 */
import { CliError } from '../api/errors.ts';

export interface Clock {
  now(): Date;
}

export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const fixed = env.KFAKE_NOW;
  if (fixed) {
    const t = Date.parse(fixed);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(fixed) || Number.isNaN(t)) {
      throw new CliError(`KFAKE_NOW must be an RFC 3339 time such as 2026-11-21T10:00:00Z, not "${fixed}"`);
    }
    return { now: () => new Date(t) };
  }
  return { now: () => new Date() };
}

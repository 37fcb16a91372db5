/**
 * Controllers added by optional parts of the simulation (load balancers, ingress), registered at
 * start-up so the core loop does not depend on them.
 */
import type { Controller } from './reconcile.ts';

const extra: Controller[] = [];

export function registerController(c: Controller): void {
  if (!extra.some((x) => x.name === c.name)) extra.push(c);
}

export function extraControllers(): Controller[] {
  return [...extra];
}

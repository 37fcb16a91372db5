/**
 * The parts of node:crypto kfake uses, with the module loaded when first used: most commands
 * never hash or draw the system's randomness, and loading it at start-up would cost every
 * command (a `get` included) a few milliseconds.
 */
import type { Hash } from 'node:crypto';

let crypto: typeof import('node:crypto') | undefined;

function lib(): typeof import('node:crypto') {
  return (crypto ??= process.getBuiltinModule('node:crypto'));
}

export function createHash(algorithm: string): Hash {
  return lib().createHash(algorithm);
}

export function randomBytes(size: number): Buffer {
  return lib().randomBytes(size);
}

/** An integer in [min, max). */
export function randomInt(min: number, max: number): number {
  return lib().randomInt(min, max);
}

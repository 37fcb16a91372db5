/**
 * Encoded lines a command will write but no longer needs in memory, kept in an anonymous
 * temporary file: a command that creates tens of thousands of objects (a big apply) holds their
 * lines here rather than in its heap, and copies them into the store file when it writes it.
 * The file is unlinked as soon as it is open, so nothing is left behind whatever happens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from '../util/node-crypto.ts';

/** Bytes per cached block, and how many blocks are kept. */
const BLOCK = 256 * 1024;
const CACHED_BLOCKS = 16;

export class Spill {
  private readonly fd: number;
  private size = 0;
  private readonly cache: Buffer[] = [];
  private readonly cachedBlock: number[] = new Array<number>(CACHED_BLOCKS).fill(-1);

  private constructor(fd: number) {
    this.fd = fd;
  }

  static open(): Spill {
    const file = path.join(os.tmpdir(), `kfake-spill-${process.pid}-${randomBytes(4).toString('hex')}`);
    const fd = fs.openSync(file, 'wx+', 0o600);
    try {
      fs.unlinkSync(file);
    } catch {
      // Where an open file cannot be unlinked, remove it when the process ends.
      process.once('exit', () => fs.rmSync(file, { force: true }));
    }
    return new Spill(fd);
  }

  /** Append bytes; returns their offset. */
  append(bytes: Buffer): number {
    const at = this.size;
    // a cached block may have been read while it was still being filled
    this.cachedBlock.fill(-1);
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    this.size += bytes.length;
    return at;
  }

  /** Fill target[offset, offset + length) from the spill at `position`. */
  readInto(target: Buffer, offset: number, length: number, position: number): void {
    const block = Math.floor(position / BLOCK);
    if (Math.floor((position + length - 1) / BLOCK) === block) {
      // Lines are read back in key order, which is close to the order they were written in:
      // a few cached blocks save a system call per line.
      const cached = this.block(block);
      cached.copy(target, offset, position - block * BLOCK, position - block * BLOCK + length);
      return;
    }
    this.readRaw(target, offset, length, position);
  }

  private readRaw(target: Buffer, offset: number, length: number, position: number): number {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, target, offset + done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    if (done < length && position + done < this.size) throw new Error('the spill file is shorter than what was written to it');
    return done;
  }

  /** A block of the spill, read once into one of a few buffers (direct-mapped by block number). */
  private block(n: number): Buffer {
    const slot = n % CACHED_BLOCKS;
    if (this.cachedBlock[slot] !== n) {
      this.cache[slot] ??= Buffer.allocUnsafe(BLOCK);
      this.readRaw(this.cache[slot], 0, Math.min(BLOCK, this.size - n * BLOCK), n * BLOCK);
      this.cachedBlock[slot] = n;
    }
    return this.cache[slot];
  }

  read(position: number, length: number): Buffer {
    const b = Buffer.allocUnsafe(length);
    this.readInto(b, 0, length, position);
    return b;
  }
}

/** Where a spilled line is. */
export interface SpilledLine {
  spill: Spill;
  at: number;
  length: number;
}

/**
 * Encoded lines a command will write but no longer needs in memory, kept in an anonymous
 * temporary file: a command that creates tens of thousands of objects (a big apply) holds their
 * lines here rather than in its heap, and copies them into the store file when it writes it.
 * The file is unlinked as soon as it is open, so nothing is left behind whatever happens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export class Spill {
  private readonly fd: number;
  private size = 0;

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
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    this.size += bytes.length;
    return at;
  }

  /** Fill target[offset, offset + length) from the spill at `position`. */
  readInto(target: Buffer, offset: number, length: number, position: number): void {
    for (let done = 0; done < length; ) {
      const n = fs.readSync(this.fd, target, offset + done, length - done, position + done);
      if (n === 0) throw new Error('the spill file is shorter than what was written to it');
      done += n;
    }
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

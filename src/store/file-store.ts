/**
 * The store file on disk, as a lowdb adapter. lowdb's own JSONFile writes through a fixed temp
 * name without fsync, which two processes can tear; this adapter writes a unique temp file,
 * fsyncs it, keeps the previous version as `<store>.bak`, and renames over the store, so readers
 * always see a whole file and a crash leaves either the old or the new state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { LowSync, type SyncAdapter } from 'lowdb';
import { CliError } from '../api/errors.ts';
import { decodeStore, headerLine, StoreFormatError } from './format.ts';
import type { StoreMeta } from './meta.ts';
import { ClusterState, StoreCorruptError } from './state.ts';

export function corruptStoreError(file: string, detail: string): CliError {
  return new CliError(
    `the cluster store ${file} is corrupt (${detail}); it was left untouched. ` +
      `Restore the previous good copy with 'cp ${file}.bak ${file}', or start over with 'kfake cluster reset'`,
  );
}

function ioError(verb: string, file: string, e: NodeJS.ErrnoException): CliError {
  const reason =
    e.code === 'ENOSPC'
      ? 'no space left on device'
      : e.code === 'EACCES' || e.code === 'EPERM'
        ? 'permission denied'
        : e.code === 'EROFS'
          ? 'read-only file system'
          : e.code === 'EISDIR'
            ? 'is a directory'
            : e.message;
  return new CliError(`cannot ${verb} the cluster store ${file}: ${reason}`);
}

/** Small pieces are gathered into chunks of about this size; big ones are written as they are. */
const CHUNK = 1 << 20;
/** Buffers per writev call (well under IOV_MAX). */
const IOV = 512;

/** Write pieces with writev, without copying big blocks; the whole file never sits in memory. */
function writePieces(fd: number, pieces: Iterable<Buffer | string>): void {
  let iov: Buffer[] = [];
  let small: Buffer[] = [];
  let smallSize = 0;
  const writeAll = (bufs: Buffer[]) => {
    let list = bufs;
    while (list.length) {
      let n = fs.writevSync(fd, list);
      // a short write: drop what was written and go on with the rest
      let i = 0;
      while (i < list.length && n >= list[i].length) n -= list[i++].length;
      list = list.slice(i);
      if (n > 0) list[0] = list[0].subarray(n);
    }
  };
  const flushSmall = () => {
    if (smallSize) iov.push(Buffer.concat(small, smallSize));
    small = [];
    smallSize = 0;
  };
  const flushIov = () => {
    flushSmall();
    writeAll(iov);
    iov = [];
  };
  for (const p of pieces) {
    const b = typeof p === 'string' ? Buffer.from(p) : p;
    if (b.length >= 64 * 1024) {
      flushSmall();
      iov.push(b);
    } else {
      small.push(b);
      smallSize += b.length;
      if (smallSize >= CHUNK) flushSmall();
    }
    if (iov.length >= IOV) flushIov();
  }
  flushIov();
}

/** The whole file as pieces: header, settings, then one object per line. */
function* filePieces(state: ClusterState): Generator<Buffer | string> {
  yield headerLine();
  yield '\n';
  yield `"meta":${JSON.stringify(state.meta)},\n`;
  yield '"objects":[\n';
  let first = true;
  for (const line of state.encodeObjects()) {
    if (!first) yield ',\n';
    first = false;
    yield line;
  }
  yield first ? ']}\n' : '\n]}\n';
}

export class StoreFile implements SyncAdapter<ClusterState | null> {
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  read(): ClusterState | null {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.file);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') return null;
      throw ioError('read', this.file, err);
    }
    try {
      const decoded = decodeStore<StoreMeta>(buf);
      checkMeta(decoded.meta);
      return new ClusterState(decoded.meta, decoded.groups);
    } catch (e) {
      if (e instanceof StoreFormatError && e.kind === 'version') {
        throw new CliError(
          `the cluster store ${this.file} has an unknown ${e.message}; it was left untouched. ` +
            `Use a kfake release that reads it, or start over with 'kfake cluster reset'`,
        );
      }
      if (e instanceof StoreFormatError || e instanceof StoreCorruptError) throw corruptStoreError(this.file, e.message);
      throw e;
    }
  }

  write(state: ClusterState | null): void {
    if (!state) return;
    const dir = path.dirname(this.file);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw ioError('create the directory for', this.file, e as NodeJS.ErrnoException);
    }
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmp, 'wx', 0o600);
      writePieces(fd, filePieces(state));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      this.keepPrevious();
      fs.renameSync(tmp, this.file);
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw ioError('write', this.file, e as NodeJS.ErrnoException);
    }
    try {
      const dfd = fs.openSync(dir, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      // Directory fsync is not possible everywhere; the rename itself is atomic.
    }
  }

  /** Hard-link the current file as `<store>.bak` (the previous good copy) before replacing it. */
  private keepPrevious(): void {
    if (!fs.existsSync(this.file)) return;
    const bak = `${this.file}.bak`;
    const tmp = `${bak}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    try {
      fs.linkSync(this.file, tmp);
    } catch {
      fs.copyFileSync(this.file, tmp);
    }
    fs.renameSync(tmp, bak);
  }
}

function checkMeta(meta: StoreMeta): void {
  if (typeof meta.resourceVersion !== 'number' || !meta.config || !meta.alloc) {
    throw new StoreCorruptError('the cluster settings are incomplete');
  }
}

/** A lowdb handle on the store file. */
export function openStoreFile(file: string): LowSync<ClusterState | null> {
  return new LowSync<ClusterState | null>(new StoreFile(file), null);
}

/**
 * The store file on disk, as a lowdb adapter. lowdb's own JSONFile writes through a fixed temp
 * name without fsync, which two processes can tear; this adapter writes a unique temp file,
 * fsyncs it, keeps the previous version as `<store>.bak`, and renames over the store, so readers
 * always see a whole file and a crash leaves either the old or the new state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from '../util/node-crypto.ts';
import { LowSync, type SyncAdapter } from 'lowdb';
import { CliError } from '../api/errors.ts';
import {
  closingLines,
  corruptStoreMessage,
  decodeStore,
  headerLine,
  openIndexed,
  StoreFormatError,
  type BlockIndex,
  type ByteSource,
  type DecodedStore,
  type FileRange,
  type StoredResource,
} from './format.ts';
import type { StoreMeta } from './meta.ts';
import type { SpilledLine } from './spill.ts';
import { ClusterState, StoreCorruptError } from './state.ts';

export function corruptStoreError(file: string, detail: string): CliError {
  return new CliError(corruptStoreMessage(file, detail));
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

/** Pieces are gathered in a buffer of this size; bigger ones are written as they are. */
const CHUNK = 1 << 20;

/**
 * Writes a store file from pieces through one reused buffer (so writing a big store makes no
 * garbage), and keeps the byte offset for the index. The whole file never sits in memory: ranges
 * of the previous version are copied through the same buffer.
 */
class PieceWriter {
  offset = 0;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private readonly fd: number;

  constructor(fd: number) {
    this.fd = fd;
  }

  add(p: Buffer | string | FileRange | SpilledLine): void {
    if (typeof p === 'string') {
      const n = Buffer.byteLength(p);
      if (n > CHUNK - this.used) this.flush();
      if (n > CHUNK) this.writeAll(Buffer.from(p));
      else this.used += this.buf.write(p, this.used);
      this.offset += n;
    } else if (Buffer.isBuffer(p)) {
      if (p.length > CHUNK - this.used) this.flush();
      if (p.length > CHUNK) this.writeAll(p);
      else this.used += p.copy(this.buf, this.used);
      this.offset += p.length;
    } else if ('spill' in p) {
      // lines are spilled only when much smaller than the buffer
      if (p.length > CHUNK - this.used) this.flush();
      p.spill.readInto(this.buf, this.used, p.length, p.at);
      this.used += p.length;
      this.offset += p.length;
    } else {
      this.flush();
      this.copy(p);
    }
  }

  /**
   * Copy a range of the previous version, checking on the way that it still holds the lines the
   * index promised (its first key, its newlines, its closing brace), so a damaged block is
   * reported, not carried over.
   */
  private copy(r: FileRange): void {
    const buf = this.buf;
    const prefix = `{"k":"${r.resource}/`;
    let newlines = 0;
    let last = 0;
    for (let pos = r.start; pos < r.end; ) {
      const n = Math.min(CHUNK, r.end - pos);
      r.src.readInto(buf, pos, n);
      if (pos === r.start && buf.toString('latin1', 0, Math.min(n, prefix.length)) !== prefix.slice(0, Math.min(n, prefix.length))) {
        throw new StoreFormatError('corrupt', `the index does not point at the objects of ${r.resource}`);
      }
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) newlines++;
      last = buf[n - 1];
      this.writeAll(buf.subarray(0, n));
      pos += n;
    }
    if (newlines !== r.count - 1 || last !== 125) {
      throw new StoreFormatError('corrupt', `the index lists ${r.count} ${r.resource} but the file holds ${newlines + 1}`);
    }
    this.offset += r.end - r.start;
  }

  private writeAll(b: Buffer): void {
    for (let done = 0; done < b.length; ) done += fs.writeSync(this.fd, b, done, b.length - done);
  }

  flush(): void {
    if (this.used) this.writeAll(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

/** Write the whole file: header, settings, the objects resource by resource, then the index. */
function writeStore(fd: number, state: ClusterState): void {
  const w = new PieceWriter(fd);
  w.add(headerLine());
  w.add('\n');
  w.add(`"meta":${JSON.stringify(state.meta)},\n`);
  w.add('"objects":[\n');
  const index: BlockIndex = {};
  let any = false;
  for (const { resource, count, pieces } of state.encodeResources()) {
    if (any) w.add(',\n');
    any = true;
    const start = w.offset;
    for (const p of pieces) w.add(p);
    index[resource] = [start, w.offset, count];
  }
  w.add(closingLines(index, any));
  w.flush();
}

/** Stores smaller than this are read whole; bigger ones through their index, block by block. */
const READ_WHOLE_BELOW = 4 * 1024 * 1024;

/** The store file's bytes through an open descriptor (kept open: the next version replaces the file by rename). */
function fdSource(fd: number, size: number, file: string): ByteSource {
  const readInto = (target: Buffer, position: number, length: number) => {
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = fs.readSync(fd, target, done, length - done, position + done);
      } catch (e) {
        throw ioError('read', file, e as NodeJS.ErrnoException);
      }
      if (n === 0) throw corruptStoreError(file, 'the file is shorter than its index says');
      done += n;
    }
  };
  return {
    size,
    readInto,
    read(start, end) {
      const b = Buffer.allocUnsafe(end - start);
      readInto(b, start, end - start);
      return b;
    },
  };
}

export class StoreFile implements SyncAdapter<ClusterState | null> {
  readonly file: string;
  private readonly readWholeBelow: number;
  constructor(file: string, opts: { readWholeBelow?: number } = {}) {
    this.file = file;
    this.readWholeBelow = opts.readWholeBelow ?? READ_WHOLE_BELOW;
  }

  read(): ClusterState | null {
    let fd: number;
    let size: number;
    try {
      fd = fs.openSync(this.file, 'r');
      size = fs.fstatSync(fd).size;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') return null;
      throw ioError('read', this.file, err);
    }
    try {
      let decoded: DecodedStore<StoreMeta> | undefined;
      if (size >= this.readWholeBelow) {
        const src = fdSource(fd, size, this.file);
        decoded = openIndexed<StoreMeta>(src);
        if (decoded) decoded.resources = decoded.resources.map((r) => this.reportingCorruption(r));
      }
      if (!decoded) {
        const buf = fdSource(fd, size, this.file).read(0, size);
        fs.closeSync(fd);
        decoded = decodeStore<StoreMeta>(buf);
      }
      checkMeta(decoded.meta);
      return new ClusterState(decoded.meta, decoded.resources, this.file);
    } catch (e) {
      if (e instanceof StoreFormatError && e.kind === 'version') {
        throw new CliError(
          `the cluster store ${this.file} cannot be read: ${e.message}; it was left untouched. ` +
            `Use a kfake release that reads it, or start over with 'kfake cluster reset'`,
        );
      }
      if (e instanceof StoreFormatError || e instanceof StoreCorruptError) throw corruptStoreError(this.file, e.message);
      throw e;
    }
  }

  /** A block found damaged when it is first used is reported like a damaged file. */
  private reportingCorruption(r: StoredResource): StoredResource {
    const file = this.file;
    return {
      ...r,
      lines() {
        try {
          return r.lines();
        } catch (e) {
          if (e instanceof StoreFormatError) throw new StoreCorruptError(corruptStoreMessage(file, e.message));
          throw e;
        }
      },
    };
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
      writeStore(fd, state);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      this.keepPrevious();
      fs.renameSync(tmp, this.file);
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      if (e instanceof StoreFormatError) throw corruptStoreError(this.file, e.message);
      if (e instanceof CliError) throw e;
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

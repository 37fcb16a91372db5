/**
 * File-system errors as Go prints them (syscall.Errno's texts): kubectl reports `open x: no such
 * file or directory` where Node would say `ENOENT: no such file or directory, open 'x'`.
 */

export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** The text Go's syscall.Errno prints for the errors file access can meet. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

export function errnoText(err: unknown): string {
  const code = errnoCode(err);
  return (code && ERRNO_TEXT[code]) ?? (err as Error).message;
}

/** os.ReadFile's error: `open P: ...`, or `read P: is a directory` (opening a directory succeeds). */
export function readFileErrorText(path: string, err: unknown): string {
  return `${errnoCode(err) === 'EISDIR' ? 'read' : 'open'} ${path}: ${errnoText(err)}`;
}

/** Writing files so that a crash or a kill never leaves a half-written file behind. */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { GankitError } from './errors.js';

/**
 * Write `data` to `file` atomically: into a temporary file in the same folder, flushed to disk,
 * then renamed over `file`. Readers see the old file or the whole new one, never a partial one.
 * The folder must exist; on failure the temporary file is removed and `file` is left untouched.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // Make the rename itself durable: flush the folder's entry.
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/**
 * Turn a file-system error (one with an errno code: ENOENT, EACCES, ENOSPC...) met while writing
 * `file` into a GankitError naming the file, in one line; any other error is returned as it is.
 */
export function writeError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const why = code === 'ENOENT' ? `the folder ${JSON.stringify(path.dirname(file))} does not exist`
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder'
    : code === 'ENOSPC' ? 'no space left on the device'
    : (error as Error).message;
  return new GankitError(`Cannot write ${JSON.stringify(file)}: ${why} (${code})`);
}

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * Returns a release function, or throws naming the process that holds the directory.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'haenau.pid');
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new Error(
        `the embedded database in ${dataDir} is in use by process ${pid}; stop that server first (PGlite serves one process), or set DATABASE_URL to share a PostgreSQL`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

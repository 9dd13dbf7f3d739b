import "server-only";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { StoreUnavailableError } from "./errors";

export interface DataLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One process at a time may use an embedded data folder: PGlite has no lock of its own, and two
 * writers would corrupt it. The lock file holds the owner's pid; a lock left by a dead process
 * is taken over.
 */
export async function acquireDataLock(dataDir: string): Promise<DataLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, "llmops.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return {
        async release() {
          const owner = Number((await readFile(file, "utf8").catch(() => "")).trim());
          if (owner === process.pid) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StoreUnavailableError(
          `The data folder ${dataDir} is in use by another llmops process (pid ${owner}). ` +
            "Stop that process, or set LLMOPS_DATA_DIR to another folder.",
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new StoreUnavailableError(`Could not lock the data folder ${dataDir}; another process keeps taking it.`);
}

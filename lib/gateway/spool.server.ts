import "server-only";
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  close as closeAsync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  mkdirSync,
} from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { LOG_TABLES, type LogEntry, type LogTable } from "./log-insert.server";

/**
 * The recorder's write-ahead spool: every row is appended to a local file before the inference is
 * answered (one write per inference, which survives a crash of the process), fsync'd on a short
 * timer (what a power loss can take), never on the request path. Files are segments: the recorder
 * rotates to a new one at each flush, and a segment is deleted once every row in it is settled
 * (written, dead-lettered or dropped). At start-up, the segments of instances that are gone are
 * taken over (an atomic rename, so two starting instances never both take one) and replayed.
 *
 * A line is `table \t key \t json`; JSON escapes tabs and newlines, so a line is always one row.
 */
export class Segment {
  pending = 0;
  bytes = 0;
  closed = false;
  constructor(
    readonly file: string,
    private fd: number | undefined,
    private readonly onEmpty: (segment: Segment) => void,
  ) {}

  get handle(): number | undefined {
    return this.fd;
  }

  /** Closes the file (after a last fdatasync, off the caller's path). */
  seal(): void {
    this.closed = true;
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) fdatasync(fd, () => closeAsync(fd, () => undefined));
    if (this.pending === 0) this.onEmpty(this);
  }

  /** `n` rows of this segment are settled. */
  release(n = 1): void {
    this.pending -= n;
    if (this.pending <= 0 && this.closed) this.onEmpty(this);
  }
}

export interface SpoolOptions {
  dir: string;
  /** This process's name in file names; `hostname.pid.instance`. */
  instanceId: string;
  fsyncMs: number;
  log?: (message: string) => void;
}

export interface SpoolStats {
  files: number;
  bytes: number;
  writeErrors: number;
  replayed: number;
  corruptLines: number;
}

export interface Replayed {
  entries: (LogEntry & { segment: Segment })[];
  files: number;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Spools open in this process (several bundles of one process share it): not for adopting. */
const LIVE = Symbol.for("llmops.spool.live");
const liveOwners = (): Set<string> => ((globalThis as { [LIVE]?: Set<string> })[LIVE] ??= new Set());

export class Spool {
  private head: Segment | undefined;
  private seq = 0;
  private readonly segments = new Set<Segment>();
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private readonly owner: string;
  private readonly counters = { writeErrors: 0, replayed: 0, corruptLines: 0 };

  constructor(private readonly options: SpoolOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.owner = `${hostname().replace(/[^A-Za-z0-9-]/g, "_")}.${process.pid}.${options.instanceId.replace(/[^A-Za-z0-9-]/g, "").slice(0, 12)}`;
    liveOwners().add(this.owner);
    this.timer = setInterval(() => this.sync(), options.fsyncMs);
    this.timer.unref();
  }

  /** Appends one request's rows with a single write; returns their segment (undefined if the disk refused). */
  append(lines: string): Segment | undefined {
    const head = this.head ?? this.open();
    if (!head) return undefined;
    const buffer = Buffer.from(lines, "utf8");
    try {
      writeSync(head.handle!, buffer);
    } catch (error) {
      this.counters.writeErrors += 1;
      if (this.counters.writeErrors === 1 || this.counters.writeErrors % 1000 === 0)
        this.options.log?.(`recorder: spool write failed (${(error as Error).message}); rows kept in memory only`);
      return undefined;
    }
    head.bytes += buffer.length;
    this.dirty = true;
    return head;
  }

  /** Starts a new segment for the rows that come next (the recorder calls it as a flush starts). */
  rotate(): void {
    const head = this.head;
    if (!head || head.bytes === 0) return;
    this.head = undefined;
    head.seal();
  }

  stats(): SpoolStats {
    let bytes = 0;
    for (const s of this.segments) bytes += s.bytes;
    return { files: this.segments.size, bytes, ...this.counters };
  }

  /**
   * Takes over the segments of this host's instances that are gone (dead pid, or this pid's
   * previous life) and of this instance, oldest first. Other hosts' files sharing the folder are
   * left to their own host.
   */
  adopt(): Replayed {
    const host = this.owner.slice(0, this.owner.indexOf("."));
    const mine = `.replay-${this.owner}`;
    const taken: string[] = [];
    for (const name of readdirSync(this.options.dir).sort()) {
      if (!name.endsWith(".spool") && !name.includes(".replay-")) continue;
      const [fileHost, pidText] = name.split(".");
      const pid = Number(pidText);
      if (fileHost !== host || name.startsWith(`${this.owner}.`)) continue;
      // A replay file of a live instance, or a live instance's own segments: not ours.
      const replayOwner = name.includes(".replay-") ? name.slice(name.indexOf(".replay-") + 8).split(".") : undefined;
      const ownerPid = replayOwner ? Number(replayOwner[1]) : pid;
      const owner = replayOwner ? replayOwner.slice(0, 3).join(".") : name.split(".").slice(0, 3).join(".");
      // Same pid: a previous life of this process (a container's pid 1), unless a spool here owns it.
      if (ownerPid === process.pid ? liveOwners().has(owner) : isAlive(ownerPid)) continue;
      const target = `${name.includes(".replay-") ? name.slice(0, name.indexOf(".replay-")) : name}${mine}`;
      try {
        renameSync(path.join(this.options.dir, name), path.join(this.options.dir, target));
        taken.push(target);
      } catch {
        // another instance took it first
      }
    }
    const entries: Replayed["entries"] = [];
    for (const name of taken.sort()) {
      const file = path.join(this.options.dir, name);
      const segment = new Segment(file, undefined, (s) => this.remove(s));
      this.segments.add(segment);
      const text = readFileSync(file, "utf8");
      segment.bytes = Buffer.byteLength(text);
      for (const line of text.split("\n")) {
        if (!line) continue;
        const a = line.indexOf("\t");
        const b = a < 0 ? -1 : line.indexOf("\t", a + 1);
        const table = line.slice(0, a) as LogTable;
        const json = line.slice(b + 1);
        // A torn last line (power loss mid-write) is skipped and counted.
        if (b < 0 || !LOG_TABLES.includes(table) || !json.startsWith("{") || !json.endsWith("}")) {
          this.counters.corruptLines += 1;
          continue;
        }
        segment.pending += 1;
        entries.push({ table, id: line.slice(a + 1, b), json, segment });
      }
      segment.closed = true;
      if (segment.pending === 0) this.remove(segment);
    }
    this.counters.replayed += entries.length;
    return { entries, files: taken.length };
  }

  /** Flushes the head to disk now and stops the timer (segments with unsettled rows stay for the next start). */
  close(): void {
    clearInterval(this.timer);
    liveOwners().delete(this.owner);
    const head = this.head;
    this.head = undefined;
    if (head) {
      const fd = head.handle;
      head.closed = true;
      if (fd !== undefined) {
        try {
          fdatasyncSync(fd);
          closeSync(fd);
        } catch {
          // already closed
        }
      }
      if (head.pending === 0) this.remove(head);
    }
  }

  private open(): Segment | undefined {
    const file = path.join(this.options.dir, `${this.owner}.${String(++this.seq).padStart(8, "0")}.spool`);
    try {
      const segment = new Segment(file, openSync(file, "a"), (s) => this.remove(s));
      this.segments.add(segment);
      this.head = segment;
      return segment;
    } catch (error) {
      this.counters.writeErrors += 1;
      this.options.log?.(`recorder: cannot open the spool file ${file} (${(error as Error).message})`);
      return undefined;
    }
  }

  private sync(): void {
    const fd = this.head?.handle;
    if (!this.dirty || fd === undefined) return;
    this.dirty = false;
    fdatasync(fd, () => undefined);
  }

  private remove(segment: Segment): void {
    if (!this.segments.delete(segment)) return;
    try {
      unlinkSync(segment.file);
    } catch {
      // already gone
    }
  }
}

/** A spool line for one row. */
export function spoolLine(entry: LogEntry): string {
  return `${entry.table}\t${entry.id}\t${entry.json}\n`;
}

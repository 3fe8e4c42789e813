// Writes archive entries below one folder, whatever the format: every name is checked before it
// touches the disk, links and special files never get here (the format readers refuse them), and
// the limits count what is actually written, not what headers claim.
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { refuseArchive, refuseEntry } from "./errors";

export type TExtractLimits = { maxFiles: number; maxUnpackedBytes: number };
export type TExtractResult = { fileCount: number; unpackedBytes: number };

/**
 * The entry's path relative to the extraction folder, or null for the folder itself ("./").
 * Refuses `..`, absolute paths (also `C:` and `\\` Windows forms), backslashes and NUL.
 */
export function safeEntryPath(name: string): string | null {
  if (name.includes("\0")) throw refuseEntry(name, "the name contains a NUL character", "entry_bad_name");
  if (name.includes("\\")) throw refuseEntry(name, "backslashes are not allowed in entry names (Windows paths)", "entry_bad_name");
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw refuseEntry(name, "absolute paths are not allowed", "entry_absolute");
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw refuseEntry(name, "the path escapes the package folder through ..", "entry_escapes");
  return parts.length ? parts.join("/") : null;
}

export class Extractor {
  private files = 0;
  private dirs = 0;
  private bytes = 0;
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly limits: TExtractLimits,
  ) {}

  result(): TExtractResult {
    return { fileCount: this.files, unpackedBytes: this.bytes };
  }

  private target(name: string): string | null {
    const rel = safeEntryPath(name);
    if (rel === null) return null;
    const full = path.resolve(this.root, rel);
    // Belt and braces: the checks above already make this impossible.
    if (!full.startsWith(this.root + path.sep)) throw refuseEntry(name, "the path escapes the package folder", "entry_escapes");
    return full;
  }

  private async mkdirp(dir: string, entry: string): Promise<void> {
    if (dir === this.root || this.madeDirs.has(dir)) return;
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw conflictOr(err, entry);
    }
    this.madeDirs.add(dir);
  }

  async directory(name: string): Promise<void> {
    const full = this.target(name);
    if (full === null) return;
    if (!this.madeDirs.has(full) && ++this.dirs > this.limits.maxFiles) {
      throw refuseArchive(`The archive has more than ${this.limits.maxFiles} folders`, "too_many_files");
    }
    await this.mkdirp(full, name);
  }

  async file(name: string, data: AsyncIterable<Buffer>, executable: boolean): Promise<void> {
    const full = this.target(name);
    if (full === null) throw refuseEntry(name, "a file entry needs a name", "entry_bad_name");
    if (++this.files > this.limits.maxFiles) throw refuseArchive(`The archive has more than ${this.limits.maxFiles} files`, "too_many_files");
    await this.mkdirp(path.dirname(full), name);
    let fh;
    try {
      fh = await open(full, "w", executable ? 0o755 : 0o644);
    } catch (err) {
      throw conflictOr(err, name);
    }
    try {
      for await (const chunk of data) {
        this.bytes += chunk.length;
        if (this.bytes > this.limits.maxUnpackedBytes) {
          throw refuseArchive(`The archive unpacks to more than ${this.limits.maxUnpackedBytes} bytes`, "unpacked_too_large");
        }
        await fh.write(chunk);
      }
    } finally {
      await fh.close();
    }
  }
}

function conflictOr(err: unknown, entry: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EEXIST" || code === "EISDIR" || code === "ENOTDIR") return refuseEntry(entry, "it conflicts with another entry of the archive (a file and a folder of the same name)", "entry_conflict");
  return err;
}

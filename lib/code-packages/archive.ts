// The archive side of code packages: save an upload under a byte limit, tell the format by its
// magic bytes, extract into a fresh folder.
import { createHash } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { refuseArchive } from "./errors";
import { Extractor, type TExtractLimits, type TExtractResult } from "./extractor";
import { extractTar } from "./tar";
import { extractZip } from "./zip";

export const ARCHIVE_FORMATS = ["zip", "tar", "tar.gz"] as const;
export type TArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** Writes `source` to `dest`, refusing with 413 as soon as it passes `maxBytes`. */
export async function saveUpload(source: AsyncIterable<Uint8Array>, dest: string, maxBytes: number): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash("sha256");
  const fh = await open(dest, "wx", 0o600);
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) throw new AppError("payload_too_large", `The archive is larger than ${maxBytes} bytes`);
      hash.update(chunk);
      await fh.write(chunk);
    }
  } finally {
    await fh.close();
  }
  if (size === 0) throw refuseArchive("The upload is empty", "archive_empty");
  return { sizeBytes: size, sha256: hash.digest("hex") };
}

/** zip, tar or tar.gz by the file's first bytes; the name it was uploaded under says nothing. */
export async function detectFormat(file: string): Promise<TArchiveFormat> {
  const fh = await open(file, "r");
  const head = Buffer.alloc(512);
  try {
    await fh.read(head, 0, 512, 0);
  } finally {
    await fh.close();
  }
  if (head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return "zip";
  if (head[0] === 0x1f && head[1] === 0x8b) return "tar.gz";
  if (head.subarray(257, 262).toString("latin1") === "ustar") return "tar";
  throw refuseArchive("Not a zip, tar or tar.gz archive", "archive_format");
}

/**
 * Extracts into `dest`, which must not exist: everything goes to a temporary sibling folder that is
 * renamed into place at the end, so a refused or failed archive leaves nothing behind.
 */
export async function extractArchive(archive: string, format: TArchiveFormat, dest: string, limits: TExtractLimits): Promise<TExtractResult> {
  const tmp = path.join(path.dirname(dest), `.extract-${crypto.randomUUID()}`);
  try {
    await mkdir(tmp, { mode: 0o755 });
    const out = new Extractor(tmp, limits);
    if (format === "zip") await extractZip(archive, out);
    else await extractTar(archive, format === "tar.gz", out);
    await rename(tmp, dest);
    return out.result();
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export type TFileEntry = { path: string; size: number };

/** Files below `root` (paths with `/`), sorted, at most `cap` of them; `truncated` when more exist. */
export async function listFiles(root: string, cap: number): Promise<{ files: TFileEntry[]; truncated: boolean }> {
  const files: TFileEntry[] = [];
  let truncated = false;
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (files.length >= cap) {
        truncated = true;
        return;
      }
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), p);
      else if (e.isFile()) files.push({ path: p, size: (await stat(path.join(dir, e.name))).size });
      if (truncated) return;
    }
  };
  await walk(root, "");
  return { files, truncated };
}

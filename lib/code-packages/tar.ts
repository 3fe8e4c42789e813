// A streaming tar reader (ustar, pax and GNU long names), enough for source archives. Only regular
// files and folders are extracted; links, devices and FIFOs are refused by name.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { refuseArchive, refuseEntry } from "./errors";
import type { Extractor } from "./extractor";

const BLOCK = 512;
/** pax and GNU long-name records are metadata; anything larger is not an honest archive. */
const MAX_META = 1024 * 1024;

class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly it: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.buf.length < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    }
  }

  /** Exactly n bytes, or null at the end of the stream. */
  async read(n: number): Promise<Buffer | null> {
    await this.fill(n);
    if (this.buf.length < n) return null;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!this.buf.length) await this.fill(1);
      if (!this.buf.length) throw refuseArchive("The tar archive is truncated", "archive_corrupt");
      const take = Math.min(left, this.buf.length);
      const out = this.buf.subarray(0, take);
      this.buf = this.buf.subarray(take);
      left -= take;
      yield out;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.chunks(n));
  }

  async readAll(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const c of this.chunks(n)) parts.push(c);
    return Buffer.concat(parts);
  }
}

function cString(b: Buffer): string {
  const z = b.indexOf(0);
  return b.subarray(0, z < 0 ? b.length : z).toString("utf8");
}

function parseNumber(b: Buffer): number {
  // GNU base-256 for values that do not fit in octal (files over 8 GiB); negative ones are nonsense here.
  if (b[0]! & 0x80) {
    if (b[0]! & 0x40) return NaN;
    let v = b[0]! & 0x3f;
    for (let i = 1; i < b.length; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = cString(b).trim();
  return s === "" ? 0 : /^[0-7]+$/.test(s) ? parseInt(s, 8) : NaN;
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return parseNumber(h.subarray(148, 156)) === sum;
}

function parsePax(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(buf.subarray(i, sp).toString("ascii"), 10);
    if (!Number.isFinite(len) || len <= sp - i || i + len > buf.length) throw refuseArchive("The tar archive has a corrupt pax header", "archive_corrupt");
    const kv = buf.subarray(sp + 1, i + len - 1).toString("utf8");
    const eq = kv.indexOf("=");
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
    i += len;
  }
  return out;
}

const pad = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** Extracts a tar (gzip-compressed when `gzip`) through the extractor. */
export async function extractTar(archivePath: string, gzip: boolean, out: Extractor): Promise<void> {
  const file = createReadStream(archivePath);
  const source = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.on("error", (err) => source.destroy(err));
  const reader = new ByteReader(source[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  let paxPath: string | null = null;
  let paxSize: number | null = null;
  let longName: string | null = null;
  let first = true;
  try {
    for (;;) {
      const h = await reader.read(BLOCK);
      if (!h || h.every((b) => b === 0)) {
        if (first) throw refuseArchive("The archive is empty or is not a tar archive", "archive_corrupt");
        return;
      }
      if (!checksumOk(h)) throw refuseArchive(first ? "The archive is not a tar archive" : "The tar archive is corrupt (bad header checksum)", "archive_corrupt");
      first = false;
      const type = String.fromCharCode(h[156]!);
      const ustar = h.subarray(257, 263).toString("latin1") === "ustar\0";
      const prefix = ustar ? cString(h.subarray(345, 500)) : "";
      const headerName = (prefix ? `${prefix}/` : "") + cString(h.subarray(0, 100));
      const name = paxPath ?? longName ?? headerName;
      const size = paxSize ?? parseNumber(h.subarray(124, 136));
      if (!Number.isSafeInteger(size) || size < 0) throw refuseArchive(`The tar archive is corrupt (bad size of "${name}")`, "archive_corrupt");
      const mode = parseNumber(h.subarray(100, 108));

      if (type === "x" || type === "L" || type === "K" || type === "g") {
        if (size > MAX_META) throw refuseArchive("The tar archive has an oversized metadata record", "archive_corrupt");
        const data = await reader.readAll(size);
        await reader.skip(pad(size));
        if (type === "x") {
          const pax = parsePax(data);
          if (pax.path !== undefined) paxPath = pax.path;
          if (pax.size !== undefined) {
            paxSize = /^\d+$/.test(pax.size) ? Number(pax.size) : NaN;
          }
        } else if (type === "L") {
          longName = cString(data);
        }
        // K (long link target) only precedes link entries, which are refused; g (global pax) sets
        // defaults we do not use.
        continue;
      }
      paxPath = null;
      paxSize = null;
      longName = null;

      switch (type) {
        case "0":
        case "\0":
        case "7":
          // Pre-POSIX archivers mark folders as files whose name ends with a slash.
          if (name.endsWith("/") && size === 0) {
            await out.directory(name);
            break;
          }
          await out.file(name, reader.chunks(size), Number.isFinite(mode) && (mode & 0o111) !== 0);
          break;
        case "5":
          await out.directory(name);
          await reader.skip(size);
          break;
        case "1":
          throw refuseEntry(name, "hard links are not allowed", "entry_link");
        case "2":
          throw refuseEntry(name, "symbolic links are not allowed", "entry_link");
        case "3":
        case "4":
          throw refuseEntry(name, "device files are not allowed", "entry_special");
        case "6":
          throw refuseEntry(name, "FIFOs are not allowed", "entry_special");
        default:
          throw refuseEntry(name, `unsupported tar entry type '${type}'`, "entry_special");
      }
      await reader.skip(pad(size));
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "Z_DATA_ERROR" || (err as NodeJS.ErrnoException).code === "Z_BUF_ERROR") {
      throw refuseArchive("The gzip stream is corrupt", "archive_corrupt");
    }
    throw err;
  } finally {
    source.destroy();
    file.destroy();
  }
}

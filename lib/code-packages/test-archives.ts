// Archive writers for tests: they build the hostile archives (escaping names, links, devices, lying
// headers) that well-behaved zip and tar tools refuse to produce.
import { crc32, deflateRawSync, gzipSync } from "node:zlib";

export type TZipEntry = { name: string; data?: Buffer | string; /** Unix mode with its type bits, e.g. 0o120777 for a symlink. */ mode?: number; deflate?: boolean; /** Lie about the uncompressed size in the headers. */ declaredSize?: number };

/** A zip archive (version made by Unix, UTF-8 names). */
export function buildZip(entries: TZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const raw = Buffer.from(e.data ?? "");
    const body = e.deflate ? deflateRawSync(raw) : raw;
    const method = e.deflate ? 8 : 0;
    const crc = crc32(raw);
    const size = e.declaredSize ?? raw.length;
    const mode = e.mode ?? (e.name.endsWith("/") ? 0o040755 : 0o100644);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((mode << 16) >>> 0) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export type TTarEntry = { name: string; /** ustar type flag: "0" file, "1" hard link, "2" symlink, "3" char device, "5" folder, "6" FIFO. */ type?: string; data?: Buffer | string; linkname?: string; mode?: number };

function octal(h: Buffer, value: number, at: number, len: number): void {
  h.write(value.toString(8).padStart(len - 1, "0") + "\0", at, len, "latin1");
}

function tarHeader(name: string, type: string, size: number, linkname: string, mode: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 100, "utf8");
  octal(h, mode, 100, 8);
  octal(h, 0, 108, 8);
  octal(h, 0, 116, 8);
  octal(h, size, 124, 12);
  octal(h, 0, 136, 12);
  h.fill(0x20, 148, 156);
  h.write(type, 156, 1, "latin1");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, 6, "latin1");
  h.write("00", 263, 2, "latin1");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "latin1");
  return h;
}

const padTo512 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

/** A ustar archive; names over 100 bytes get a pax `path` record. */
export function buildTar(entries: TTarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? (e.name.endsWith("/") ? "5" : "0");
    const data = Buffer.from(e.data ?? "");
    if (Buffer.byteLength(e.name) > 100) {
      const pax = Buffer.from(paxRecord("path", e.name), "utf8");
      parts.push(tarHeader("PaxHeader", "x", pax.length, "", 0o644), padTo512(pax));
    }
    parts.push(tarHeader(e.name, type, type === "0" ? data.length : 0, e.linkname ?? "", e.mode ?? (type === "5" ? 0o755 : 0o644)));
    if (type === "0") parts.push(padTo512(data));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const gzip = (b: Buffer): Buffer => gzipSync(b);

// Zip through yauzl (central directory, zip64, CRC and size checks); the type of each entry comes
// from its Unix mode when the archiver recorded one, and only files and folders are extracted.
import yauzl from "yauzl";
import { AppError } from "@/lib/errors";
import { refuseArchive, refuseEntry } from "./errors";
import type { Extractor } from "./extractor";

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;

// yauzl's own name checks (strictFileNames) fail the whole archive with these messages.
const NAME_ERROR = /^(invalid characters in fileName|absolute path|invalid relative path): (.*)$/s;

function translate(err: unknown): unknown {
  if (err instanceof AppError || !(err instanceof Error)) return err;
  if ("code" in err && typeof (err as NodeJS.ErrnoException).code === "string" && (err as NodeJS.ErrnoException).errno !== undefined) return err;
  const m = NAME_ERROR.exec(err.message);
  if (m) {
    const why = m[1] === "absolute path" ? "absolute paths are not allowed" : m[1] === "invalid relative path" ? "the path escapes the package folder through .." : "backslashes are not allowed in entry names (Windows paths)";
    return refuseEntry(m[2]!, why, m[1] === "absolute path" ? "entry_absolute" : m[1] === "invalid relative path" ? "entry_escapes" : "entry_bad_name");
  }
  return refuseArchive(`The zip archive is invalid: ${err.message}`, "archive_corrupt");
}

/** Extracts a zip archive through the extractor. */
export async function extractZip(archivePath: string, out: Extractor): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archivePath, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: true, autoClose: true });
  } catch (err) {
    throw translate(err);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", (err: unknown) => reject(translate(err)));
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        handle(zip, entry, out).then(
          () => zip.readEntry(),
          (err: unknown) => reject(translate(err)),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function handle(zip: yauzl.ZipFile, entry: yauzl.Entry, out: Extractor): Promise<void> {
  const name = entry.fileName;
  const unixMode = entry.versionMadeBy >> 8 === MADE_BY_UNIX ? (entry.externalFileAttributes >>> 16) & 0xffff : 0;
  const kind = unixMode & S_IFMT;
  if (kind === S_IFLNK) throw refuseEntry(name, "symbolic links are not allowed", "entry_link");
  if (kind !== 0 && kind !== S_IFREG && kind !== S_IFDIR) throw refuseEntry(name, "device files, FIFOs and sockets are not allowed", "entry_special");
  if (kind === S_IFDIR || name.endsWith("/")) {
    await out.directory(name);
    return;
  }
  if (entry.isEncrypted()) throw refuseEntry(name, "encrypted entries are not supported", "entry_encrypted");
  // Validate the name before opening the data, so a refused entry is never inflated.
  await out.file(name, openData(zip, entry), (unixMode & 0o111) !== 0);
}

async function* openData(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

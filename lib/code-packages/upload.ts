// Reads an archive upload from a request: multipart/form-data (`file`, optional `name`) or the raw
// archive as the body. The byte limit is enforced while the body streams in.
import { AppError } from "@/lib/errors";

const RAW_TYPES = new Set(["application/zip", "application/x-zip-compressed", "application/x-tar", "application/gzip", "application/x-gzip", "application/octet-stream"]);
/** Room for the multipart boundaries and the other fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export type TUpload = { name: string | null; body: AsyncIterable<Uint8Array> };

const tooLarge = (max: number): AppError => new AppError("payload_too_large", `The archive is larger than ${max} bytes`);

async function* iterate(stream: ReadableStream<Uint8Array>, max: number | null): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.length;
      if (max !== null && seen > max) throw tooLarge(max);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The archive's bytes and the name the uploader gave (multipart `name`, else `?name=`, else the file name). */
export async function readUpload(req: Request, maxBytes: number): Promise<TUpload> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  const mime = type.split(";")[0]!.trim();
  const declared = Number(req.headers.get("content-length") ?? 0);
  const queryName = new URL(req.url).searchParams.get("name");
  if (!req.body) throw new AppError("bad_request", "Send the archive in the request body");

  if (mime === "multipart/form-data") {
    const max = maxBytes + MULTIPART_OVERHEAD;
    if (declared > max) throw tooLarge(maxBytes);
    // undici parses multipart only from a whole body, so the body is held in memory, but never
    // more than the limit of it: the count stops the stream as soon as it passes.
    const chunks: Uint8Array[] = [];
    for await (const c of iterate(req.body, max)) chunks.push(c);
    let form: FormData;
    try {
      form = await new Response(Buffer.concat(chunks), { headers: { "content-type": type } }).formData();
    } catch {
      throw new AppError("bad_request", "The multipart body could not be parsed");
    }
    const file = form.get("file");
    if (!(file instanceof Blob)) {
      throw new AppError("validation_failed", "Attach the archive as the `file` field", { errors: [{ path: "file", message: "Required" }] });
    }
    if (file.size > maxBytes) throw tooLarge(maxBytes);
    const field = form.get("name");
    const fileName = file instanceof File && file.name ? file.name.replace(/\.(zip|tar|tgz|tar\.gz)$/i, "") : null;
    return { name: typeof field === "string" && field.trim() ? field : (queryName ?? fileName), body: iterate(file.stream(), null) };
  }
  if (RAW_TYPES.has(mime)) {
    if (declared > maxBytes) throw tooLarge(maxBytes);
    return { name: queryName, body: iterate(req.body, null) };
  }
  throw new AppError(
    "bad_request",
    "Send multipart/form-data with a `file` field, or the archive itself with Content-Type application/zip, application/x-tar or application/gzip",
  );
}

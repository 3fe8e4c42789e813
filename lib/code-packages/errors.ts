import { AppError } from "@/lib/errors";

/** 422 naming the archive entry that was refused, so the uploader knows what to fix. */
export function refuseEntry(entry: string, why: string, reason: string): AppError {
  return new AppError("validation_failed", `Archive entry "${entry}" is refused: ${why}`, { errors: [{ path: entry, message: why, reason }], reason });
}

/** 422 for an archive as a whole (unknown format, corrupt, over a limit). */
export function refuseArchive(why: string, reason: string): AppError {
  return new AppError("validation_failed", why, { errors: [{ path: "file", message: why, reason }], reason });
}

import { badRequest } from "@/lib/errors";

export type TPage<T> = { items: T[]; nextCursor: string | null };

/** Opaque keyset cursor over (createdAt desc, id desc). */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [ts, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const createdAt = new Date(ts);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== "string") throw new Error();
    return { createdAt, id };
  } catch {
    throw badRequest("Invalid cursor");
  }
}

/** Takes `limit + 1` rows and turns them into a page with the next cursor. */
export function toPage<T extends { createdAt: Date; id: string }, U>(rows: T[], limit: number, map: (r: T) => U): TPage<U> {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { items: slice.map(map), nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

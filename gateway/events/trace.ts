import { randomBytes } from "node:crypto";

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace id of a valid W3C `traceparent` (version ff and all-zero ids are invalid), else a new one. */
export function resolveTraceId(traceparent: string | string[] | undefined): string {
  const value = (Array.isArray(traceparent) ? traceparent[0] : traceparent)?.trim().toLowerCase();
  const m = value ? TRACEPARENT.exec(value) : null;
  if (m && m[1] !== "ff" && !/^0+$/.test(m[2]!) && !/^0+$/.test(m[3]!)) return m[2]!;
  return randomBytes(16).toString("hex");
}

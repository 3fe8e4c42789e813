/**
 * Domain errors. Services throw these; transports map them to RFC 9457 problem+json (REST) or to a
 * page state (console). Anything else is a 500 with the request id and nothing else.
 */
export type TProblemCode =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "validation_failed"
  | "payload_too_large"
  | "rate_limited"
  | "internal";

const STATUS: Record<TProblemCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** `reason` is a stable key (a zod issue code or our own) the console translates. */
export type TFieldError = { path: string; message: string; reason?: string };

export class AppError extends Error {
  readonly code: TProblemCode;
  readonly status: number;
  readonly errors?: TFieldError[];
  readonly headers?: Record<string, string>;
  /** A stable, machine-readable cause (e.g. `last_owner`) that clients map to their own wording. */
  readonly reason?: string;
  constructor(code: TProblemCode, message: string, extra: { errors?: TFieldError[]; headers?: Record<string, string>; reason?: string } = {}) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    this.errors = extra.errors;
    this.headers = extra.headers;
    this.reason = extra.reason;
  }
}

/** The object does not exist or belongs to another tenant; both answer the same. */
export const notFound = (what = "Resource"): AppError => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this", reason?: string): AppError => new AppError("forbidden", message, { reason });
export const conflict = (message: string, reason?: string): AppError => new AppError("conflict", message, { reason });
export const badRequest = (message: string): AppError => new AppError("bad_request", message);

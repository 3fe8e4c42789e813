import { ZodError } from "zod";
import { AppError, type TFieldError } from "@/lib/errors";

const TITLES: Record<string, string> = {
  bad_request: "Bad request",
  unauthenticated: "Authentication required",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  validation_failed: "Validation failed",
  payload_too_large: "Payload too large",
  rate_limited: "Too many requests",
  internal: "Internal server error",
};

/** Field paths of a zod error, joined with dots (`headers.0.name`). */
export function zodFieldErrors(err: ZodError): TFieldError[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message, reason: i.code }));
}

/** Maps any thrown value to an RFC 9457 problem+json response carrying the request id. */
export function problemResponse(err: unknown, requestId: string): { response: Response; unexpected: boolean } {
  let appErr: AppError;
  let unexpected = false;
  if (err instanceof AppError) appErr = err;
  else if (err instanceof ZodError) appErr = new AppError("validation_failed", "The request did not validate", { errors: zodFieldErrors(err) });
  else {
    unexpected = true;
    appErr = new AppError("internal", "Something went wrong on our side; quote the request id when reporting it");
  }
  const body = {
    type: `urn:mcpcan:problem:${appErr.code}`,
    title: TITLES[appErr.code] ?? appErr.code,
    status: appErr.status,
    detail: appErr.message,
    code: appErr.code,
    requestId,
    ...(appErr.reason ? { reason: appErr.reason } : {}),
    ...(appErr.errors ? { errors: appErr.errors } : {}),
  };
  const headers = new Headers({ "content-type": "application/problem+json", "x-request-id": requestId, "cache-control": "no-store" });
  for (const [k, v] of Object.entries(appErr.headers ?? {})) headers.set(k, v);
  if (appErr.status === 401) headers.set("www-authenticate", 'Bearer realm="mcpcan"');
  return { response: new Response(JSON.stringify(body), { status: appErr.status, headers }), unexpected };
}

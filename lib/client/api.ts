"use client";

export type TFieldError = { path: string; message: string; reason?: string };

/** A problem+json answer from the REST API. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly errors: TFieldError[];
  readonly reason: string | null;
  constructor(status: number, body: { detail?: string; title?: string; code?: string; requestId?: string; reason?: string; errors?: TFieldError[] } | null) {
    super(body?.detail ?? body?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? "unknown";
    this.requestId = body?.requestId ?? null;
    this.errors = body?.errors ?? [];
    this.reason = body?.reason ?? null;
  }
  /** The message for one form field, if the server named it. */
  field(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

/** Calls /api/v1 as the signed-in user, in organization `org` (slug) when given. */
export async function apiFetch<T>(path: string, opts: { method?: string; body?: unknown; org?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.org) headers["x-organization"] = opts.org;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/api/v1${path}`, {
    method: opts.method ?? "GET",
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    credentials: "same-origin",
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) throw new ApiError(res.status, data as ConstructorParameters<typeof ApiError>[1]);
  return data as T;
}

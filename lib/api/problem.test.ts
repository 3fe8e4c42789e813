import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { problemResponse } from "./problem";

describe("problem+json", () => {
  it("maps a zod error to 422 with field paths", async () => {
    const err = z.object({ headers: z.array(z.object({ name: z.string().min(1) })) }).safeParse({ headers: [{ name: "" }] }).error!;
    const { response, unexpected } = problemResponse(err, "req-1");
    expect(unexpected).toBe(false);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({ status: 422, code: "validation_failed", requestId: "req-1", errors: [{ path: "headers.0.name", reason: "too_small" }] });
  });

  it("carries a stable reason key the console translates", async () => {
    const body = await problemResponse(new AppError("conflict", "The last owner cannot be demoted", { reason: "last_owner" }), "r").response.json();
    expect(body).toMatchObject({ status: 409, code: "conflict", reason: "last_owner" });
  });

  it("hides the details of unexpected errors but keeps the request id", async () => {
    const { response, unexpected } = problemResponse(new Error("password=hunter2 at db.ts:42"), "req-2");
    expect(unexpected).toBe(true);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text).requestId).toBe("req-2");
  });

  it("adds WWW-Authenticate to 401 and custom headers such as Retry-After", () => {
    expect(problemResponse(new AppError("unauthenticated", "x"), "r").response.headers.get("www-authenticate")).toContain("Bearer");
    const rl = problemResponse(new AppError("rate_limited", "slow", { headers: { "retry-after": "7" } }), "r").response;
    expect(rl.status).toBe(429);
    expect(rl.headers.get("retry-after")).toBe("7");
  });
});

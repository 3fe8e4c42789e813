import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, OPERATIONS } from "./openapi";

const root = path.resolve(__dirname, "../../app/api/v1");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

describe("OpenAPI document", () => {
  it("lists every method that every /api/v1 route file exports, and nothing else", () => {
    const exported = routeFiles(root).flatMap((file) => {
      const apiPath = path
        .relative(root, path.dirname(file))
        .split(path.sep)
        .map((seg) => seg.replace(/^\[(\w+)\]$/, "{$1}"))
        .join("/");
      const src = readFileSync(file, "utf8");
      return [...src.matchAll(/export const (GET|POST|PATCH|DELETE|PUT)\b/g)].map((m) => `${m[1]!.toLowerCase()} /${apiPath}`);
    });
    const documented = OPERATIONS.map((o) => `${o.method} ${o.path}`);
    expect(exported.sort()).toEqual(documented.sort());
  });

  it("references only schemas it defines, and requires bodies where routes parse them", () => {
    const doc = buildOpenApiDocument("http://x") as { components: { schemas: Record<string, unknown> }; paths: Record<string, Record<string, unknown>> };
    const refs = [...JSON.stringify(doc.paths).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r);
    const post = doc.paths["/invitations"]!.post as { requestBody: { content: Record<string, { schema: { $ref: string } }> } };
    expect(post.requestBody.content["application/json"]!.schema.$ref).toBe("#/components/schemas/CreateInvitation");
    expect(doc.components.schemas.CreateInvitation).toMatchObject({ required: ["email", "role"] });
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeBuildHash, staleBuildReason, writeBuildStamp } from "./build";

describe("console build staleness", () => {
  let root: string;
  const write = (rel: string, content: string): void => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "mcpcan-build-"));
    write("app/page.tsx", "export default function Page() { return null }");
    write("lib/x.ts", "export const x = 1;");
    write("package-lock.json", "{}");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("changes with any build input and ignores tests and unrelated files", () => {
    const base = computeBuildHash(root);
    write("lib/x.test.ts", "test");
    write("gateway/server.ts", "not part of the console build");
    write("README.md", "docs");
    expect(computeBuildHash(root)).toBe(base);

    write("lib/x.ts", "export const x = 2;");
    const edited = computeBuildHash(root);
    expect(edited).not.toBe(base);
    write("messages/en.json", "{}");
    expect(computeBuildHash(root)).not.toBe(edited);
  });

  it("depends on file names, not only contents", () => {
    const base = computeBuildHash(root);
    rmSync(path.join(root, "lib/x.ts"));
    write("lib/y.ts", "export const x = 1;");
    expect(computeBuildHash(root)).not.toBe(base);
  });

  it("is stale without a build, without a stamp, or with a different stamp", () => {
    const hash = computeBuildHash(root);
    expect(staleBuildReason(root, hash)).toMatch(/no production build/);
    write(".next/BUILD_ID", "abc");
    expect(staleBuildReason(root, hash)).toMatch(/not made by npm start/);
    writeBuildStamp(root, hash);
    expect(staleBuildReason(root, hash)).toBeNull();
    expect(staleBuildReason(root, "0".repeat(64))).toMatch(/sources changed/);
  });
});

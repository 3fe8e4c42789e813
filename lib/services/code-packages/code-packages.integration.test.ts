// Code packages end to end through the REST routes (handler → verb → disk and database), with
// archives built in the test: good ones extract with the right files, hostile ones are refused
// naming the entry and leave nothing behind, and tenancy and roles hold on every route.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as downloadRoute from "@/app/api/v1/code-packages/[codePackageId]/download/route";
import * as packageRoute from "@/app/api/v1/code-packages/[codePackageId]/route";
import * as packagesRoute from "@/app/api/v1/code-packages/route";
import { auditLog, instance } from "@/db/schema";
import { buildTar, buildZip, gzip } from "@/lib/code-packages/test-archives";
import { getDb } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { createApiKey } from "@/lib/services/api-keys/create-api-key";
import { ctxFor, makeOrg } from "@/test/fixtures";
import { codePackageDir } from "./code-package-dir";

type THandler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
const base = "http://console.test/api/v1";
const MAX_BYTES = 256 * 1024;
const MAX_FILES = 20;
const MAX_UNPACKED = 1024 * 1024;

let dataDir: string;
const saved: Record<string, string | undefined> = {};
const vars = {
  MCPCAN_DATA_DIR: "",
  MCPCAN_CODE_PACKAGE_MAX_BYTES: String(MAX_BYTES),
  MCPCAN_CODE_PACKAGE_MAX_FILES: String(MAX_FILES),
  MCPCAN_CODE_PACKAGE_MAX_UNPACKED_BYTES: String(MAX_UNPACKED),
};

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mcpcan-code-packages-"));
  vars.MCPCAN_DATA_DIR = dataDir;
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  resetEnvForTests();
});

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
  rmSync(dataDir, { recursive: true, force: true });
});

const packagesDir = (): string => path.join(dataDir, "code-packages");
const onDisk = (): string[] => (existsSync(packagesDir()) ? readdirSync(packagesDir()) : []);

function call(handler: unknown, key: string, method: string, url: string, params: Record<string, string> = {}, init: { body?: BodyInit; type?: string } = {}): Promise<Response> {
  const req = new Request(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(init.type ? { "content-type": init.type } : {}) },
    body: init.body,
  });
  return (handler as THandler)(req, { params: Promise.resolve(params) });
}

const uploadRaw = (key: string, archive: Buffer, type = "application/octet-stream", name = "pkg"): Promise<Response> =>
  call(packagesRoute.POST, key, "POST", `/code-packages?name=${encodeURIComponent(name)}`, {}, { body: new Uint8Array(archive), type });

function uploadForm(key: string, archive: Buffer, fileName: string, name?: string): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(archive)]), fileName);
  if (name) form.set("name", name);
  return call(packagesRoute.POST, key, "POST", "/code-packages", {}, { body: form });
}

async function setup(): Promise<{ orgId: string; ownerKey: string; viewerKey: string; otherKey: string; otherOrgId: string }> {
  const o = await makeOrg();
  const other = await makeOrg();
  const owner = await ctxFor(o.owner, o.orgId);
  const ownerKey = (await createApiKey({ ctx: owner, input: { name: "owner", role: "owner", expiresInDays: null } })).key;
  const viewerKey = (await createApiKey({ ctx: owner, input: { name: "viewer", role: "viewer", expiresInDays: null } })).key;
  const otherKey = (await createApiKey({ ctx: await ctxFor(other.owner, other.orgId), input: { name: "other", role: "owner", expiresInDays: null } })).key;
  return { orgId: o.orgId, ownerKey, viewerKey, otherKey, otherOrgId: other.orgId };
}

type TDetail = { id: string; name: string; format: string; fileCount: number; sizeBytes: number; sha256: string; files: { path: string; size: number }[]; filesTruncated: boolean };

async function expectCreated(res: Response): Promise<TDetail> {
  const body = (await res.json()) as TDetail;
  expect({ status: res.status, body }).toMatchObject({ status: 201 });
  return body;
}

const SERVER_JS = "console.log('hello from a code package');\n";
const LONG = `src/${"deeply-nested-folder/".repeat(6)}module.js`;

describe("code packages", () => {
  it("extracts a zip, a tar and a tar.gz with the right files, lists them and serves the archive back", async () => {
    const s = await setup();
    // A zip from our writer: folders, an executable, deflated and stored data.
    const zip = buildZip([
      { name: "app/", mode: 0o040755 },
      { name: "app/server.js", data: SERVER_JS, deflate: true },
      { name: "app/start.sh", data: "#!/bin/sh\nnode server.js\n", mode: 0o100755 },
      { name: "README.md", data: "# pkg\n" },
    ]);
    const z = await expectCreated(await uploadForm(s.ownerKey, zip, "my-server.tar.gz", "zip-package"));
    expect(z).toMatchObject({ name: "zip-package", format: "zip", fileCount: 3, sizeBytes: zip.length });
    const zDir = (await codePackageDir(s.orgId, z.id))!;
    expect(readFileSync(path.join(zDir, "app/server.js"), "utf8")).toBe(SERVER_JS);
    expect(statSync(path.join(zDir, "app/start.sh")).mode & 0o111).not.toBe(0);
    expect(statSync(path.join(zDir, "README.md")).mode & 0o111).toBe(0);

    // A tar with a pax long name, sent raw; the format comes from the bytes, not the Content-Type.
    const tar = buildTar([{ name: "server.py", data: "print('hi')\n" }, { name: LONG, data: "x".repeat(1000) }, { name: "empty/", type: "5" }]);
    const t = await expectCreated(await uploadRaw(s.ownerKey, tar, "application/zip", "tar-package"));
    expect(t).toMatchObject({ format: "tar", fileCount: 2 });
    const tDir = (await codePackageDir(s.orgId, t.id))!;
    expect(readFileSync(path.join(tDir, LONG), "utf8")).toBe("x".repeat(1000));
    expect(statSync(path.join(tDir, "empty")).isDirectory()).toBe(true);

    // A tar.gz made by the system's GNU tar.
    const src = mkdtempSync(path.join(tmpdir(), "mcpcan-src-"));
    mkdirSync(path.join(src, "lib"));
    writeFileSync(path.join(src, "index.js"), SERVER_JS);
    writeFileSync(path.join(src, "lib", "util.js"), "module.exports = 1;\n");
    const tgz = execFileSync("tar", ["-czf", "-", "-C", src, "."]);
    rmSync(src, { recursive: true, force: true });
    const g = await expectCreated(await uploadRaw(s.ownerKey, tgz, "application/gzip", "tgz-package"));
    expect(g).toMatchObject({ format: "tar.gz", fileCount: 2 });

    const detail = await call(packageRoute.GET, s.ownerKey, "GET", `/code-packages/${g.id}`, { codePackageId: g.id });
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as TDetail).files).toEqual([
      { path: "index.js", size: SERVER_JS.length },
      { path: "lib/util.js", size: 20 },
    ]);

    const download = await call(downloadRoute.GET, s.ownerKey, "GET", `/code-packages/${z.id}/download`, { codePackageId: z.id });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);

    const list = await call(packagesRoute.GET, s.ownerKey, "GET", "/code-packages");
    expect(((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([g.id, t.id, z.id]);
    const audits = await getDb().select().from(auditLog).where(and(eq(auditLog.organizationId, s.orgId), eq(auditLog.action, "code_package.created")));
    expect(audits).toHaveLength(3);
  });

  it("refuses every hostile archive with a 422 naming the entry, and leaves nothing on disk or in the database", async () => {
    const s = await setup();
    const before = onDisk();
    const many = Array.from({ length: MAX_FILES + 1 }, (_, i) => ({ name: `f${i}.txt`, data: "x" }));
    const zeros = Buffer.alloc(2 * MAX_UNPACKED);
    const cases: { name: string; archive: Buffer; entry?: string; reason: string }[] = [
      { name: "zip ../escape", archive: buildZip([{ name: "ok.txt", data: "fine" }, { name: "../escape.txt", data: "x" }]), entry: "../escape.txt", reason: "entry_escapes" },
      { name: "zip nested ..", archive: buildZip([{ name: "a/../../escape.txt", data: "x" }]), entry: "a/../../escape.txt", reason: "entry_escapes" },
      { name: "tar ../escape", archive: buildTar([{ name: "ok.txt", data: "fine" }, { name: "../escape", data: "x" }]), entry: "../escape", reason: "entry_escapes" },
      { name: "zip /abs/path", archive: buildZip([{ name: "/abs/path", data: "x" }]), entry: "/abs/path", reason: "entry_absolute" },
      { name: "tar /abs/path", archive: buildTar([{ name: "/abs/path", data: "x" }]), entry: "/abs/path", reason: "entry_absolute" },
      { name: "zip drive letter", archive: buildZip([{ name: "C:/Windows/evil.dll", data: "x" }]), entry: "C:/Windows/evil.dll", reason: "entry_absolute" },
      { name: "zip backslashes", archive: buildZip([{ name: "..\\..\\evil.txt", data: "x" }]), entry: "..\\..\\evil.txt", reason: "entry_bad_name" },
      { name: "tar backslashes", archive: buildTar([{ name: "..\\evil.txt", data: "x" }]), entry: "..\\evil.txt", reason: "entry_bad_name" },
      { name: "zip symlink", archive: buildZip([{ name: "link", data: "/etc/passwd", mode: 0o120777 }]), entry: "link", reason: "entry_link" },
      { name: "tar symlink", archive: buildTar([{ name: "link", type: "2", linkname: "/etc/passwd" }]), entry: "link", reason: "entry_link" },
      { name: "tar hard link", archive: buildTar([{ name: "a.txt", data: "x" }, { name: "hard", type: "1", linkname: "a.txt" }]), entry: "hard", reason: "entry_link" },
      { name: "tar char device", archive: buildTar([{ name: "null", type: "3" }]), entry: "null", reason: "entry_special" },
      { name: "tar FIFO", archive: buildTar([{ name: "pipe", type: "6" }]), entry: "pipe", reason: "entry_special" },
      { name: "zip FIFO", archive: buildZip([{ name: "pipe", mode: 0o010644 }]), entry: "pipe", reason: "entry_special" },
      { name: "zip too many files", archive: buildZip(many), reason: "too_many_files" },
      { name: "tar.gz too many files", archive: gzip(buildTar(many)), reason: "too_many_files" },
      { name: "zip bomb", archive: buildZip([{ name: "zeros", data: zeros, deflate: true }]), reason: "unpacked_too_large" },
      { name: "zip bomb with lying headers", archive: buildZip([{ name: "zeros", data: zeros, deflate: true, declaredSize: 10 }]), reason: "archive_corrupt" },
      { name: "tar.gz bomb", archive: gzip(buildTar([{ name: "a", data: zeros.subarray(0, MAX_UNPACKED / 2 + 1) }, { name: "b", data: zeros.subarray(0, MAX_UNPACKED / 2 + 1) }])), reason: "unpacked_too_large" },
      { name: "not an archive", archive: Buffer.from("just some text, not an archive"), reason: "archive_format" },
      { name: "gzip of something else", archive: gzip(Buffer.from("hello")), reason: "archive_corrupt" },
    ];
    for (const c of cases) {
      expect(c.archive.length, c.name).toBeLessThan(MAX_BYTES);
      const res = await uploadRaw(s.ownerKey, c.archive);
      const body = (await res.json()) as { code: string; detail: string; reason?: string; errors?: { path: string; reason?: string }[] };
      expect({ case: c.name, status: res.status, reason: body.errors?.[0]?.reason }).toEqual({ case: c.name, status: 422, reason: c.reason });
      if (c.entry) {
        expect(body.errors?.[0]?.path, c.name).toBe(c.entry);
        expect(body.detail, c.name).toContain(c.entry);
      }
      expect(onDisk(), c.name).toEqual(before);
    }
    expect(existsSync(path.join(dataDir, "escape.txt"))).toBe(false);
    expect(existsSync(path.join(dataDir, "code-packages", "escape.txt"))).toBe(false);
    const list = await call(packagesRoute.GET, s.ownerKey, "GET", "/code-packages");
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(0);
  });

  it("answers 413 to an upload over the size limit, raw or multipart, declared or streamed", async () => {
    const s = await setup();
    const before = onDisk();
    const big = Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(MAX_BYTES)]);
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    expect((await uploadRaw(s.ownerKey, big, "application/gzip")).status).toBe(413);
    expect((await uploadForm(s.ownerKey, big, "big.tar.gz")).status).toBe(413);
    // No Content-Length: the count while streaming is what stops it.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 16 * 1024) controller.enqueue(new Uint8Array(big.subarray(i, i + 16 * 1024)));
        controller.close();
      },
    });
    const req = new Request(`${base}/code-packages`, { method: "POST", headers: { authorization: `Bearer ${s.ownerKey}`, "content-type": "application/gzip" }, body: stream, duplex: "half" } as RequestInit);
    const res = await (packagesRoute.POST as THandler)(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(onDisk()).toEqual(before);
  });

  it("another tenant gets 404 on get, download and delete, and sees none in its list; codePackageDir is per organization", async () => {
    const s = await setup();
    const p = await expectCreated(await uploadRaw(s.ownerKey, buildZip([{ name: "a.js", data: "1" }])));
    const params = { codePackageId: p.id };
    for (const [name, handler, method, url] of [
      ["GET", packageRoute.GET, "GET", `/code-packages/${p.id}`],
      ["download", downloadRoute.GET, "GET", `/code-packages/${p.id}/download`],
      ["DELETE", packageRoute.DELETE, "DELETE", `/code-packages/${p.id}`],
    ] as const) {
      const res = await call(handler, s.otherKey, method, url, params);
      expect({ route: name, status: res.status }).toEqual({ route: name, status: 404 });
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const list = await call(packagesRoute.GET, s.otherKey, "GET", "/code-packages");
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(0);
    expect(await codePackageDir(s.otherOrgId, p.id)).toBeNull();
    expect(await codePackageDir(s.orgId, p.id)).toBe(path.join(packagesDir(), p.id, "files"));
    expect((await call(packageRoute.GET, s.ownerKey, "GET", `/code-packages/${p.id}`, params)).status).toBe(200);
  });

  it("a viewer reads but gets 403 on upload and delete", async () => {
    const s = await setup();
    const p = await expectCreated(await uploadRaw(s.ownerKey, buildZip([{ name: "a.js", data: "1" }])));
    const before = onDisk();
    expect((await uploadRaw(s.viewerKey, buildZip([{ name: "b.js", data: "2" }]))).status).toBe(403);
    expect((await call(packageRoute.DELETE, s.viewerKey, "DELETE", `/code-packages/${p.id}`, { codePackageId: p.id })).status).toBe(403);
    expect(onDisk()).toEqual(before);
    expect((await call(packagesRoute.GET, s.viewerKey, "GET", "/code-packages")).status).toBe(200);
    expect((await call(packageRoute.GET, s.viewerKey, "GET", `/code-packages/${p.id}`, { codePackageId: p.id })).status).toBe(200);
    expect((await call(downloadRoute.GET, s.viewerKey, "GET", `/code-packages/${p.id}/download`, { codePackageId: p.id })).status).toBe(200);
  });

  it("refuses to delete a package while an instance's config names it, then deletes it with its folder", async () => {
    const s = await setup();
    const p = await expectCreated(await uploadRaw(s.ownerKey, buildZip([{ name: "server.js", data: SERVER_JS }])));
    const instanceId = crypto.randomUUID();
    await getDb()
      .insert(instance)
      .values({
        id: instanceId,
        organizationId: s.orgId,
        name: "uses-package",
        source: "code_package",
        accessMode: "hosted",
        transport: "stdio",
        config: { accessMode: "hosted", transport: "stdio", command: "node", args: ["server.js"], env: [], codePackageId: p.id, initScript: null, port: null, path: "/mcp", startupTimeoutMs: 60_000, idleTimeoutMs: 600_000, sessionMode: "per_session", maxSessions: 50, minReplicas: 1, maxReplicas: 1, requestTimeoutMs: 120_000 },
      });
    const params = { codePackageId: p.id };
    const refused = await call(packageRoute.DELETE, s.ownerKey, "DELETE", `/code-packages/${p.id}`, params);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain("uses-package");
    expect(existsSync(path.join(packagesDir(), p.id, "files", "server.js"))).toBe(true);

    await getDb().delete(instance).where(eq(instance.id, instanceId));
    expect((await call(packageRoute.DELETE, s.ownerKey, "DELETE", `/code-packages/${p.id}`, params)).status).toBe(204);
    expect(existsSync(path.join(packagesDir(), p.id))).toBe(false);
    expect((await call(packageRoute.GET, s.ownerKey, "GET", `/code-packages/${p.id}`, params)).status).toBe(404);
    const [audit] = await getDb().select().from(auditLog).where(and(eq(auditLog.organizationId, s.orgId), eq(auditLog.action, "code_package.deleted")));
    expect(audit).toMatchObject({ targetId: p.id, targetType: "code_package" });
  });
});

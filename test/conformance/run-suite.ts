// Runs the official MCP conformance suite (server side) against a URL and reads back what each
// scenario found. The suite needs Node 22 (`fs.globSync`), so it runs through npx with the `node@22`
// package, which brings a Node 22 binary from the registry; the first run downloads both.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const CONFORMANCE_PACKAGE = "@modelcontextprotocol/conformance@0.1.16";

export type TCheck = { id: string; name: string; status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | string; errorMessage?: string };
/** Per scenario: pass (no FAILURE, no WARNING), warn (WARNINGs only) or fail; plus the ids of the checks that were not SUCCESS/INFO. */
export type TScenarioResult = { status: "pass" | "warn" | "fail"; failed: string[]; warnings: string[] };
export type TSuiteRun = {
  results: Record<string, TScenarioResult>;
  checks: Record<string, TCheck[]>;
  /** When each scenario's results were saved, ms after the first one: where the time went. */
  savedAtMs: Record<string, number>;
  exitCode: number | null;
  output: string;
  ms: number;
};

export function summarize(checks: TCheck[]): TScenarioResult {
  const failed = checks.filter((c) => c.status === "FAILURE").map((c) => c.id).sort();
  const warnings = checks.filter((c) => c.status === "WARNING").map((c) => c.id).sort();
  return { status: failed.length ? "fail" : warnings.length ? "warn" : "pass", failed, warnings };
}

/**
 * `conformance server --url <url> --suite all -o <dir>`: every server scenario, pending ones included.
 * Each scenario writes `<dir>/server-<scenario>-<timestamp>/checks.json`, which is what is parsed
 * (the exit code only says whether anything failed).
 */
export async function runConformance(url: string, opts: { timeoutMs?: number; suite?: string } = {}): Promise<TSuiteRun> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "mcpcan-conformance-"));
  const started = Date.now();
  const args = ["-y", "-p", "node@22", "-p", CONFORMANCE_PACKAGE, "conformance", "server", "--url", url, "--suite", opts.suite ?? "all", "-o", outDir];
  try {
    const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
      // cwd outside the project so npx resolves only the packages named here.
      const child = spawn("npx", args, { cwd: os.tmpdir(), env: { ...process.env, npm_config_update_notifier: "false" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const keep = (d: Buffer): void => {
        output = (output + d.toString()).slice(-200_000);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        if (signal) reject(new Error(`conformance suite killed (${signal}) after ${Date.now() - started} ms\n${output.slice(-4000)}`));
        else resolve({ exitCode: code, output });
      });
    });
    const checks: Record<string, TCheck[]> = {};
    const savedAt: Record<string, number> = {};
    for (const dir of await readdir(outDir)) {
      const m = /^server-(.+)-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(dir);
      if (!m) continue;
      checks[m[1]!] = JSON.parse(await readFile(path.join(outDir, dir, "checks.json"), "utf8")) as TCheck[];
      savedAt[m[1]!] = Date.parse(`${m[2]}T${m[3]}:${m[4]}:${m[5]}.${m[6]}Z`);
    }
    const first = Math.min(...Object.values(savedAt));
    const savedAtMs = Object.fromEntries(Object.entries(savedAt).map(([s, t]) => [s, t - first]));
    if (Object.keys(checks).length === 0) throw new Error(`conformance suite produced no results (exit ${exitCode})\n${output.slice(-4000)}`);
    const results = Object.fromEntries(Object.entries(checks).map(([s, c]) => [s, summarize(c)]));
    return { results, checks, savedAtMs, exitCode, output, ms: Date.now() - started };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** One line per scenario that did not pass, with the failing checks' messages, for assertion output. */
export function describeProblems(run: TSuiteRun): string {
  return Object.entries(run.checks)
    .filter(([s]) => run.results[s]!.status !== "pass")
    .map(([s, cs]) => `${s}: ${cs.filter((c) => c.status === "FAILURE" || c.status === "WARNING").map((c) => `${c.status} ${c.id}${c.errorMessage ? ` (${c.errorMessage})` : ""}`).join("; ")}`)
    .join("\n");
}

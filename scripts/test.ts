// `npm test`: unit (vitest), integration (vitest, real Postgres and Redis) and end-to-end
// (Playwright, Chromium) suites in sequence, each streaming its own output, then one summary line
// "N passed, N failed[, N skipped]" summed over the suites. Exit code 1 if anything failed.
//   npm test -- --suite=unit            one suite (or --suite=unit,integration)
//   npm test -- --suite=unit gateway/   extra arguments go to the runner (filters)
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bold, OperatorError, runMain, warn } from "./lib/cli";
import { addTallies, emptyTally, formatTally, reconcile, tallyPlaywright, tallyVitest, type TTally } from "./lib/test-report";

const TAG = "test";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string): string => path.join(root, "node_modules", ".bin", name);

type TSuiteName = "unit" | "integration" | "e2e";
type TSuite = {
  name: TSuiteName;
  configs: string[];
  /** The command for a run writing its JSON report to `reportFile`; `extra` are the user's filters. */
  command(reportFile: string, extra: string[]): { file: string; args: string[]; env?: Record<string, string> };
  tally(report: unknown): { tally: TTally; problems: string[] };
};

const vitestSuite = (name: "unit" | "integration"): TSuite => ({
  name,
  configs: ["vitest.config.ts", "vitest.config.mts"],
  command: (reportFile, extra) => ({
    file: bin("vitest"),
    args: ["run", "--project", name, "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...extra],
  }),
  tally: tallyVitest,
});

const SUITES: TSuite[] = [
  vitestSuite("unit"),
  vitestSuite("integration"),
  {
    name: "e2e",
    configs: ["playwright.config.ts"],
    command: (reportFile, extra) => ({
      file: bin("playwright"),
      args: ["test", "--reporter=list,json", "--pass-with-no-tests", ...extra],
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile },
    }),
    tally: tallyPlaywright,
  },
];

function parseArgs(argv: string[]): { suites: TSuite[]; extra: string[] } {
  let names: string[] | undefined;
  const extra: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith("--suite=")) names = arg.slice("--suite=".length).split(",").map((s) => s.trim()).filter(Boolean);
    else extra.push(arg);
  }
  if (!names) return { suites: SUITES, extra };
  const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0 || names.length === 0) {
    throw new OperatorError(`Unknown suite ${unknown.join(", ") || "(empty)"}; use --suite=${SUITES.map((s) => s.name).join("|")} (comma-separated for several)`);
  }
  return { suites: SUITES.filter((s) => names.includes(s.name)), extra };
}

let current: ReturnType<typeof spawn> | undefined;
let interrupted = false;

// Ctrl-C reaches the runner too (same process group); SIGTERM from CI may reach only us: pass it on,
// let the runner finish its report, and run no further suites.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    current?.kill(signal);
  });
}

async function runSuite(suite: TSuite, tmp: string, extra: string[]): Promise<{ tally: TTally; problems: string[] }> {
  const reportFile = path.join(tmp, `${suite.name}.json`);
  const { file, args, env } = suite.command(reportFile, extra);
  process.stdout.write(`\n${bold(`▶ ${suite.name}`)} ${path.basename(file)} ${args.join(" ")}\n`);
  // The runner inherits this environment; the report location is set for it alone.
  for (const [k, v] of Object.entries(env ?? {})) process.env[k] = v;
  const exitCode = await new Promise<number | null>((resolve) => {
    current = spawn(file, args, { cwd: root, stdio: "inherit" });
    current.once("error", (err) => {
      warn(TAG, `${suite.name}: could not start ${file}: ${err.message}`);
      resolve(127);
    });
    current.once("exit", (code) => resolve(code));
  });
  current = undefined;
  for (const k of Object.keys(env ?? {})) delete process.env[k];

  let counted: { tally: TTally; problems: string[] } | null = null;
  if (existsSync(reportFile)) {
    try {
      counted = suite.tally(JSON.parse(readFileSync(reportFile, "utf8")));
    } catch {
      counted = null;
    }
  }
  return reconcile(exitCode, counted);
}

runMain(TAG, async () => {
  const { suites, extra } = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(os.tmpdir(), "mcpcan-test-"));
  const rows: string[] = [];
  const tallies: TTally[] = [];
  try {
    for (const suite of suites) {
      if (interrupted) break;
      if (!suite.configs.some((c) => existsSync(path.join(root, c)))) {
        const note = `skipped: no ${suite.configs[0]} in the repository`;
        warn(TAG, `${suite.name} ${note}`);
        rows.push(`${suite.name.padEnd(12)} ${note}`);
        continue;
      }
      const { tally, problems } = await runSuite(suite, tmp, extra);
      tallies.push(tally);
      rows.push(`${suite.name.padEnd(12)} ${formatTally(tally)}`);
      for (const p of problems) rows.push(`${"".padEnd(12)} ${p}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const total = tallies.length > 0 ? addTallies(...tallies) : emptyTally();
  if (interrupted) {
    total.failed += 1;
    rows.push("interrupted: remaining suites were not run");
  }
  process.stdout.write(`\n${bold("Test summary")}\n${rows.map((r) => `  ${r}`).join("\n")}\n`);
  // The last line, plain and exact: CI takes it as the result.
  process.stdout.write(`${formatTally(total)}\n`);
  return total.failed > 0 ? 1 : 0;
});

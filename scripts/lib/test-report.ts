// Turns the JSON reports of vitest and Playwright into one tally, so that `npm test` (and CI) can
// print a single "N passed, N failed" line across suites.

export type TTally = { passed: number; failed: number; skipped: number };

export const emptyTally = (): TTally => ({ passed: 0, failed: 0, skipped: 0 });

/** Sums tallies. */
export function addTallies(...tallies: TTally[]): TTally {
  return tallies.reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped }), emptyTally());
}

/** "N passed, N failed" plus ", N skipped" when any were skipped. */
export function formatTally(t: TTally): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ""}`;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

type TVitestFile = { status?: string; name?: string; message?: string; assertionResults?: Array<{ status?: string }> };

/**
 * Counts a vitest JSON report. A test file that failed without any failed test (it did not load,
 * or a hook threw) counts as one failure, since its tests never ran.
 */
export function tallyVitest(report: unknown): { tally: TTally; problems: string[] } {
  const r = report as { numPassedTests?: unknown; numFailedTests?: unknown; numPendingTests?: unknown; numTodoTests?: unknown; testResults?: TVitestFile[] };
  const tally = { passed: num(r.numPassedTests), failed: num(r.numFailedTests), skipped: num(r.numPendingTests) + num(r.numTodoTests) };
  const problems: string[] = [];
  for (const file of r.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === "failed").length;
    if (file.status === "failed" && failedTests === 0) {
      tally.failed += 1;
      problems.push(`${file.name ?? "a test file"} failed outside any test: ${(file.message ?? "").split("\n")[0]}`);
    }
  }
  return { tally, problems };
}

/** Counts a Playwright JSON report (flaky tests passed on retry and count as passed). */
export function tallyPlaywright(report: unknown): { tally: TTally; problems: string[] } {
  const r = report as { stats?: { expected?: unknown; unexpected?: unknown; flaky?: unknown; skipped?: unknown }; errors?: Array<{ message?: string }> };
  const s = r.stats ?? {};
  const problems = (r.errors ?? []).map((e) => (e.message ?? "error").split("\n")[0] ?? "error");
  if (num(s.flaky) > 0) problems.push(`${num(s.flaky)} test(s) were flaky (passed on retry)`);
  return { tally: { passed: num(s.expected) + num(s.flaky), failed: num(s.unexpected), skipped: num(s.skipped) }, problems };
}

/**
 * Reconciles a runner's exit code with its report: no report at all, or a non-zero exit that the
 * report does not explain, counts as one failure so that a crash can never read as success.
 */
export function reconcile(exitCode: number | null, counted: { tally: TTally; problems: string[] } | null): { tally: TTally; problems: string[] } {
  if (!counted) {
    return { tally: { passed: 0, failed: 1, skipped: 0 }, problems: [`crashed (exit code ${exitCode ?? "signal"}) without writing a report`] };
  }
  if (exitCode !== 0 && counted.tally.failed === 0) {
    return {
      tally: { ...counted.tally, failed: 1 },
      problems: [...counted.problems, `exited with code ${exitCode ?? "signal"} although no test failed (an error outside the tests; see its output)`],
    };
  }
  return counted;
}

import { describe, expect, it } from "vitest";
import { addTallies, formatTally, reconcile, tallyPlaywright, tallyVitest } from "./test-report";

describe("test report tally", () => {
  it("formats the CI summary line, mentioning skipped tests only when there are some", () => {
    expect(formatTally({ passed: 3, failed: 0, skipped: 0 })).toBe("3 passed, 0 failed");
    expect(formatTally({ passed: 3, failed: 1, skipped: 2 })).toBe("3 passed, 1 failed, 2 skipped");
    expect(addTallies({ passed: 1, failed: 2, skipped: 3 }, { passed: 10, failed: 20, skipped: 30 })).toEqual({ passed: 11, failed: 22, skipped: 33 });
  });

  it("counts vitest tests, and a file that failed to load as one failure", () => {
    const { tally, problems } = tallyVitest({
      numPassedTests: 5,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 1,
      testResults: [
        { name: "a.test.ts", status: "failed", assertionResults: [{ status: "passed" }, { status: "failed" }] },
        { name: "b.test.ts", status: "failed", message: "Cannot find module './x'\n    at ...", assertionResults: [] },
      ],
    });
    expect(tally).toEqual({ passed: 5, failed: 2, skipped: 2 });
    expect(problems).toEqual(["b.test.ts failed outside any test: Cannot find module './x'"]);
  });

  it("counts Playwright stats with flaky tests as passed", () => {
    const { tally, problems } = tallyPlaywright({ stats: { expected: 4, unexpected: 1, flaky: 1, skipped: 2 }, errors: [] });
    expect(tally).toEqual({ passed: 5, failed: 1, skipped: 2 });
    expect(problems).toEqual(["1 test(s) were flaky (passed on retry)"]);
  });

  it("never lets a crash read as success", () => {
    expect(reconcile(1, null).tally).toEqual({ passed: 0, failed: 1, skipped: 0 });
    const unexplained = reconcile(1, { tally: { passed: 7, failed: 0, skipped: 0 }, problems: [] });
    expect(unexplained.tally).toEqual({ passed: 7, failed: 1, skipped: 0 });
    expect(unexplained.problems[0]).toMatch(/exited with code 1 although no test failed/);
    const clean = { tally: { passed: 7, failed: 0, skipped: 0 }, problems: [] };
    expect(reconcile(0, clean)).toBe(clean);
  });
});

import { describe, expect, it } from "vitest";
import { diffSnapshots } from "./audit-diff";

describe("diffSnapshots", () => {
  it("lists changed, added and removed fields only, sorted", () => {
    expect(diffSnapshots({ role: "viewer", name: "a", same: [1] }, { role: "admin", name: "a", same: [1], extra: true })).toEqual([
      { field: "extra", before: null, after: true },
      { field: "role", before: "viewer", after: "admin" },
    ]);
    expect(diffSnapshots(null, { a: 1 })).toEqual([{ field: "a", before: null, after: 1 }]);
    expect(diffSnapshots({ a: 1 }, null)).toEqual([{ field: "a", before: 1, after: null }]);
  });
});

export type TDiffRow = { field: string; before: unknown; after: unknown };

/** Fields whose values differ between two snapshots (shallow, JSON equality), sorted by name. */
export function diffSnapshots(before: Record<string, unknown> | null, after: Record<string, unknown> | null): TDiffRow[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const rows: TDiffRow[] = [];
  for (const field of [...keys].sort()) {
    const b = before?.[field];
    const a = after?.[field];
    if (JSON.stringify(b) !== JSON.stringify(a)) rows.push({ field, before: b ?? null, after: a ?? null });
  }
  return rows;
}

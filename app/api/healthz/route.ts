// GET /api/healthz — the console process is up; anyone may call it (used by `npm start`).
export const dynamic = "force-dynamic";
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}

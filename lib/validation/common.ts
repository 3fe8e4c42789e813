import { z } from "zod";

export const ZId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "Invalid id");
export const ZEmail = z.string().trim().toLowerCase().email("Enter a valid email address").max(254);
export const ZCursorQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

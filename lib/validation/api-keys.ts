import { z } from "zod";
import { ZRoleKey } from "./members";

export const ZCreateApiKey = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(80),
    role: ZRoleKey,
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(null).describe("null: never expires"),
  })
  .meta({ id: "CreateApiKey" });
export type TCreateApiKey = z.infer<typeof ZCreateApiKey>;

export const ZApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    start: z.string(),
    role: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "ApiKey" });

export const ZCreatedApiKey = ZApiKey.extend({ key: z.string().describe("Shown once; store it now") }).meta({ id: "CreatedApiKey" });

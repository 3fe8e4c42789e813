// GET /api/v1/openapi.json — the OpenAPI document generated from the zod schemas; anyone.
import { apiHandler } from "@/lib/api/handler";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { getEnv } from "@/lib/env";

export const GET = apiHandler(async () => buildOpenApiDocument(getEnv().publicUrl));

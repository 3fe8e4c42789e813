// GET|POST /api/auth/* — Better Auth (sign-up, sign-in, sign-out, session); anyone may call it.
import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/lib/auth/auth";

const handler = (req: Request): Promise<Response> => getAuth().handler(req);
export const { GET, POST } = toNextJsHandler(handler);

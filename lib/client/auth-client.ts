"use client";
import { createAuthClient } from "better-auth/react";

/** Better Auth's browser client (same origin). */
export const authClient = createAuthClient();

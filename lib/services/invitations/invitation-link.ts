import { getEnv } from "@/lib/env";

/** The link a new member opens to accept; the invitation id (a random UUID) is its secret. */
export function invitationLink(id: string): string {
  return `${getEnv().publicUrl}/invite/${id}`;
}

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

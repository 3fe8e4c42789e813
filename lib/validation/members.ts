import { z } from "zod";
import { ZEmail } from "./common";

export const ZRoleKey = z.string().min(1).max(32).regex(/^[a-z_]+$/, "Unknown role");

export const ZMember = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "Member" });

export const ZChangeMemberRole = z.object({ role: ZRoleKey }).meta({ id: "ChangeMemberRole" });
export type TChangeMemberRole = z.infer<typeof ZChangeMemberRole>;

export const ZCreateInvitation = z.object({ email: ZEmail, role: ZRoleKey }).meta({ id: "CreateInvitation" });
export type TCreateInvitation = z.infer<typeof ZCreateInvitation>;

export const ZInvitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.string(),
    status: z.enum(["pending", "accepted", "rejected", "canceled"]),
    expiresAt: z.string(),
    createdAt: z.string(),
    inviterName: z.string().nullable(),
    link: z.string().describe("Invitation link to copy and send"),
    emailSent: z.boolean().optional(),
  })
  .meta({ id: "Invitation" });

export const ZRole = z
  .object({ key: z.string(), rank: z.number().int(), permissions: z.array(z.string()) })
  .meta({ id: "Role" });

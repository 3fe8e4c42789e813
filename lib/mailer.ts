import { getEnv } from "./env";
import { getLogger } from "./logger";

/** Sends a plain-text mail when SMTP_URL is configured; returns whether it was sent. Never throws. */
export async function sendMail(to: string, subject: string, text: string): Promise<boolean> {
  const env = getEnv();
  if (!env.SMTP_URL) return false;
  try {
    const nodemailer = await import("nodemailer");
    const transport = nodemailer.createTransport(env.SMTP_URL);
    await transport.sendMail({ from: env.SMTP_FROM, to, subject, text });
    return true;
  } catch (err) {
    getLogger().warn({ err: (err as Error).message, to }, "sending mail failed");
    return false;
  }
}

import { publishConfigEvent, type TConfigEvent } from "@/lib/events/config-bus";
import { getLogger } from "@/lib/logger";

/**
 * Tells every gateway process that something changed; call after the transaction has committed.
 * The change is saved either way, so a Redis failure is logged rather than turned into an error.
 */
export async function announce(event: TConfigEvent): Promise<void> {
  try {
    await publishConfigEvent(event);
  } catch (err) {
    getLogger().warn({ err, event }, "could not publish a config event; gateways see the change on their next reload");
  }
}

// Waits for config events in integration tests: subscribe first, act, then await the event.
import { subscribeConfigEvents, type TConfigEvent } from "@/lib/events/config-bus";

export type TEventProbe = {
  /** Resolves with the first event (received since subscribing) that matches, or rejects after `ms`. */
  next(match: (e: TConfigEvent) => boolean, ms?: number): Promise<TConfigEvent>;
  close(): Promise<void>;
};

/** Subscribes to the config channel and records every event. */
export async function probeConfigEvents(): Promise<TEventProbe> {
  const seen: TConfigEvent[] = [];
  const waiters: { match: (e: TConfigEvent) => boolean; resolve: (e: TConfigEvent) => void }[] = [];
  const close = await subscribeConfigEvents((e) => {
    seen.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  return {
    next(match, ms = 3000) {
      const i = seen.findIndex(match);
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no matching config event")), ms);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            seen.splice(seen.indexOf(e), 1);
            resolve(e);
          },
        });
      });
    },
    close,
  };
}

// Lease renewal: a running worker extends the leases of every row it holds (claimed ahead or
// running) every third of the lease, so a long run keeps its rows. A worker that dies (or loses the
// database) stops renewing; its leases expire and another worker claims the rows again.
import { log } from "../log.server";
import type { Lane } from "./lanes.server";

/** Starts renewing the lanes' leases; returns the stop. A renewal still running skips the next beat. */
export function startLeaseRenewal(lanes: Lane[], leaseMs: number): () => void {
  let renewing = false;
  const heartbeat = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      void (async () => {
        for (const l of lanes) await l.renew().catch((error) => log.error("worker.renew_failed", { error }));
      })().finally(() => (renewing = false));
    },
    Math.max(leaseMs / 3, 50),
  );
  heartbeat.unref();
  return () => clearInterval(heartbeat);
}

// What runs beside the Remix app in the server process: health and readiness endpoints, and (later)
// background workers. `handle` answers the requests it owns and returns false for the rest.
import type http from "node:http";
import { db } from "../db.server";

export interface RunningApp {
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  markDraining(): void;
  stop(): Promise<void>;
}

export async function startApp(): Promise<RunningApp> {
  let draining = false;
  return {
    handle(req, res) {
      const url = req.url ?? "/";
      if (url === "/healthz") {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true }));
        return true;
      }
      if (url === "/readyz") {
        if (draining) {
          res.writeHead(503, { "Content-Type": "application/json" }).end(JSON.stringify({ ready: false, reason: "shutting down" }));
          return true;
        }
        db()
          .$queryRawUnsafe("SELECT 1")
          .then(
            () => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ready: true })),
            () => res.writeHead(503, { "Content-Type": "application/json" }).end(JSON.stringify({ ready: false, reason: "database unavailable" })),
          );
        return true;
      }
      return false;
    },
    markDraining() {
      draining = true;
    },
    async stop() {},
  };
}

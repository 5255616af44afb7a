// Health checks, the same for web and worker processes:
//   GET /healthz  liveness: 200 while the process runs (restart it when this fails);
//   GET /readyz   readiness: 200 when it can do its work, else 503 with the reason (route no traffic
//                 to it, or alert when a worker stays unready).
import type http from "node:http";

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Answers /healthz and /readyz; returns false for any other request. */
export function answerHealthCheck(req: http.IncomingMessage, res: http.ServerResponse, readiness: () => Promise<Readiness>): boolean {
  const url = req.url ?? "/";
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(body));
  if (url === "/healthz") {
    json(200, { ok: true });
    return true;
  }
  if (url === "/readyz") {
    readiness().then(
      (state) => json(state.ready ? 200 : 503, state),
      (error: unknown) => json(503, { ready: false, reason: error instanceof Error ? error.message : String(error) }),
    );
    return true;
  }
  return false;
}

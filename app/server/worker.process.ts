// `npm run worker`: the worker as its own process (set WORKER_IN_PROCESS=false on the web process to
// run only these). With WORKER_HEALTH_PORT it answers /healthz and /readyz there (ready while it can
// claim work). SIGTERM/SIGINT: not ready, stop claiming, let work in progress finish, give back the
// rest, exit 0.
import http from "node:http";
import { db } from "../db.server";
import { env, envOrExit } from "../env.server";
import { log } from "../log.server";
import { answerHealthCheck } from "./health.server";
import { createAppWorker } from "../events/registry.server";

function main() {
  envOrExit();
  const worker = createAppWorker();
  worker.start();
  const port = env().WORKER_HEALTH_PORT;
  const health = port
    ? http
        .createServer((req, res) => {
          if (!answerHealthCheck(req, res, async () => worker.readiness())) res.writeHead(404).end();
        })
        .listen(port, env().HOST, () => log.info("worker.health_listening", { port }))
    : null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker.stopping", { signal });
    await worker.stop();
    health?.close();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main();

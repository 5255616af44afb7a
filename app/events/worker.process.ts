// `npm run worker`: the worker as its own process (set WORKER_IN_PROCESS=false on the web process to
// run only these). SIGTERM/SIGINT stop claiming, let work in progress finish and give back the rest.
import { db } from "../db.server";
import { envOrExit } from "../env.server";
import { log } from "../log.server";
import { createWorker } from "./worker.server";

function main() {
  envOrExit();
  const worker = createWorker();
  worker.start();
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker.stopping", { signal });
    await worker.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main();

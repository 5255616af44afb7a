// Worker threads running the app's TypeScript modules, however the calling code runs: from source
// (tsx for `npm run worker` and the scripts, Vitest for tests) or bundled into the Remix build
// (build/server/index.js, which server.ts loads for `npm start` and the demo). A worker is started on
// ts-worker.boot.mjs, which registers tsx in the new thread and then imports the module. Two simpler
// ways do not work here: Vite leaves `new URL("./x.ts", import.meta.url)` alone in a server build, so
// from the bundle it points into build/server/, where no such file is; and a worker does not inherit
// the parent's loader hooks, while on Node 20 `execArgv: ["--import", "tsx"]` is not applied to the
// worker's own entry module (ERR_UNKNOWN_FILE_EXTENSION). The sources are always beside the build:
// server.ts itself runs from source under tsx.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** A file of this project by its path from the project root, looked for from this module's folder upwards. */
function projectFile(relative: string): string {
  const here = fileURLToPath(import.meta.url);
  for (let dir = path.dirname(here); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relative} was not found in any folder above ${here}`);
  }
}

/**
 * Starts a worker thread on a TypeScript module given by its path from the project root. It does not
 * take this process's node flags (a worker inherits them by default): preloads given with --import,
 * such as a test's stand-ins written in TypeScript, would fail there before tsx is registered.
 */
export function startTsWorker(entry: string, options: Omit<WorkerOptions, "workerData" | "eval"> = {}): Worker {
  return new Worker(projectFile("app/lib/ts-worker.boot.mjs"), { execArgv: [], ...options, workerData: { entry: pathToFileURL(projectFile(entry)).href } });
}

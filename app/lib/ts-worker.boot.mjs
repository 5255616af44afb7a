// The first module of a worker thread started by ts-worker.server.ts: registers tsx in this thread,
// then runs the TypeScript module named by workerData.entry (a file URL).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);

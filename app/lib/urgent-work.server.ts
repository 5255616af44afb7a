// Work that must not wait behind a backlog: a risk-flagged payment's event and the review that holds
// its order (the worker's priority lanes, app/queue/worker.server.ts). The mark travels with the work's
// async context, so code deep inside it (the SQLite connection's time slices) can tell without being
// passed a flag through every call.
import { AsyncLocalStorage } from "node:async_hooks";

const urgent = new AsyncLocalStorage<true>();

/** Runs `work` marked urgent. */
export const asUrgentWork = <T>(work: () => Promise<T>): Promise<T> => urgent.run(true, work);

/** Whether the running code is part of urgent work. */
export const isUrgentWork = (): boolean => urgent.getStore() === true;

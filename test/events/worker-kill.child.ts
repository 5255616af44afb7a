// A worker process that dies in the middle of an event: it claims the event, starts its transaction,
// writes part of the effects, reports HANGING on stdout and waits to be killed (worker-kill.test.ts).
// The database client is wrapped so the event stops right before its timeline entry is written.
import { createDb, setDb } from "../../app/db.server";
import { createWorker } from "../../app/events/worker.server";

const base = createDb(process.env.DATABASE_URL!);
const stalling = base.$extends({
  query: {
    async $executeRaw({ args, query }) {
      const sql = (args as unknown as { strings?: string[] }).strings?.join("?") ?? String(args);
      if (!sql.includes('INSERT INTO "PaymentActivity"')) return query(args);
      process.stdout.write("HANGING\n");
      return new Promise<number>(() => {});
    },
  },
});
setDb(stalling as unknown as typeof base);

const worker = createWorker({ owner: "doomed-worker", jobHandlers: {}, leaseMs: 60_000 });
void worker.runUntilIdle();

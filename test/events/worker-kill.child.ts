// A worker process that dies in the middle of an event: it claims the event, starts its transaction,
// writes part of the effects, reports HANGING on stdout and waits to be killed (worker-kill.test.ts).
// The event's transaction is wrapped so the event stops right before its timeline entry is written.
import { Prisma } from "@prisma/client";
import { createDb, setDb } from "../../app/db.server";
import { applyEvent } from "../../app/events/handlers.server";
import type { RawSql } from "../../app/lib/prepared-sql.server";
import { createWorker } from "../../app/queue/worker.server";

setDb(createDb(process.env.DATABASE_URL!));

const stalling = (tx: RawSql): RawSql => ({
  ...tx,
  $queryRaw: tx.$queryRaw.bind(tx),
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
    const sql = Array.isArray(query) ? Prisma.sql(query as TemplateStringsArray, ...values).sql : (query as Prisma.Sql).sql;
    if (!sql.includes('INSERT INTO "PaymentActivity"')) return tx.$executeRaw(query, ...values);
    process.stdout.write("HANGING\n");
    return new Promise<number>(() => {});
  },
});

const worker = createWorker({ applyEvent: (tx, row) => applyEvent(stalling(tx), row), jobHandlers: {} }, { owner: "doomed-worker", leaseMs: 60_000 });
void worker.runUntilIdle();

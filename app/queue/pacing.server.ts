// Intake first: in the web process, acknowledging deliveries comes before processing them
// (Checkout.com waits for the answer, nobody waits for the processing). While deliveries wait more
// than INTAKE_LATENCY_TARGET_MS to be stored (a burst), the worker keeps to about a tenth of the time
// (after a run that took t ms it waits 9t) and catches up once the burst is over. A steady stream that
// intake keeps up with does not slow it down, so the backlog cannot grow for ever under sustained
// load. A worker process of its own sees no deliveries and is never paced.
import { sleep } from "../lib/retry";

/**
 * While deliveries that arrived in the last INTAKE_WINDOW_MS wait longer than this to be stored,
 * intake is contended: the worker then keeps to BUSY_INTAKE_WORKER_SHARE of the time.
 */
const INTAKE_LATENCY_TARGET_MS = 25;
const INTAKE_WINDOW_MS = 100;
const BUSY_INTAKE_WORKER_SHARE = 0.1;

/** Webhook intake in this process, which the worker gives way to and is woken by. */
export interface Intake {
  /** Whether deliveries of the last `windowMs` waited longer than `targetMs` to be stored. */
  contended(windowMs: number, targetMs: number): boolean;
  /** Calls `listener` whenever events were stored; returns the unsubscribe. */
  onStored(listener: () => void): () => void;
}

/** One pacing for all of a worker's paced slots: while intake is contended, one run at a time, spaced out. */
export function intakePacing(intake: Intake | undefined, isStopping: () => boolean) {
  let nextStartAt = 0;
  return {
    /** Waits until this slot may run. */
    async beforeRun() {
      while (!isStopping() && intake?.contended(INTAKE_WINDOW_MS, INTAKE_LATENCY_TARGET_MS)) {
        const wait = nextStartAt - performance.now();
        if (wait <= 0) {
          // This row's turn; the other slots wait until it has finished.
          nextStartAt = Infinity;
          return;
        }
        await sleep(Math.min(wait, INTAKE_WINDOW_MS));
      }
    },
    /** After a run that took `tookMs` (0: nothing ran). */
    afterRun(tookMs: number) {
      nextStartAt = performance.now() + (tookMs * (1 - BUSY_INTAKE_WORKER_SHARE)) / BUSY_INTAKE_WORKER_SHARE;
    },
  };
}

export type IntakePacing = ReturnType<typeof intakePacing>;

// Evidence PDFs are rendered in a worker thread (pdf.worker.ts), never on the event loop that takes
// webhooks and renews leases: even a linear layout of capped texts takes tens of milliseconds for a
// long conversation, and several documents are rendered per build. One thread, started on first use
// and kept; it holds the process open only while it has work. A render that does not finish within
// RENDER_TIMEOUT_MS ends the thread (a new one starts for the next render) and fails the build, which
// is retried like any other failed job.
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "../lib/ts-worker.server";
import { log } from "../log.server";
import type { EvidenceDocument } from "./model";
import { capDocument } from "./pdf.server";
import type { RenderReply, RenderRequest } from "./pdf.worker";

const RENDER_TIMEOUT_MS = 60_000;

interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

let thread: Thread | null = null;
let nextId = 0;

function startThread(): Thread {
  const worker = startTsWorker("app/disputes/pdf.worker.ts");
  const state: Thread = { worker, pending: new Map() };
  worker.on("message", (reply: RenderReply) => {
    const job = state.pending.get(reply.id);
    if (!job) return;
    state.pending.delete(reply.id);
    clearTimeout(job.timer);
    if (state.pending.size === 0) worker.unref();
    if ("error" in reply) job.reject(new Error(reply.error));
    else job.resolve(reply.bytes);
  });
  worker.on("error", (error) => endThread(state, error));
  worker.on("exit", (code) => endThread(state, new Error(`The PDF worker thread stopped (exit code ${code})`)));
  worker.unref();
  return state;
}

/** Forgets a thread that failed or stopped, failing what it had not answered. */
function endThread(state: Thread, error: Error) {
  if (thread === state) thread = null;
  for (const job of state.pending.values()) {
    clearTimeout(job.timer);
    job.reject(error);
  }
  state.pending.clear();
}

/** Renders one evidence document in the PDF worker thread; the same bytes as renderEvidencePdf. */
export function renderEvidencePdfInThread(doc: EvidenceDocument): Promise<Uint8Array> {
  thread ??= startThread();
  const state = thread;
  const id = ++nextId;
  return new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => {
      log.error("disputes.pdf_render_timeout", { filename: doc.filename, timeoutMs: RENDER_TIMEOUT_MS });
      endThread(state, new Error(`Rendering ${doc.filename} took longer than ${RENDER_TIMEOUT_MS / 1000} s`));
      void state.worker.terminate();
    }, RENDER_TIMEOUT_MS);
    timer.unref();
    state.pending.set(id, { resolve, reject, timer });
    state.worker.ref();
    // Cut here, not only in the thread: a conversation of many long messages would otherwise be
    // copied to the thread whole, on this event loop.
    state.worker.postMessage({ id, doc: capDocument(doc) } satisfies RenderRequest);
  });
}

/** Stops the worker thread, if one runs (tests; a process exiting needs nothing). */
export async function stopPdfThread() {
  const state = thread;
  if (!state) return;
  thread = null;
  await state.worker.terminate();
}

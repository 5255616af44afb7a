// The worker thread that renders evidence PDFs (started by pdf-thread.server.ts): one document per
// message, answered with its bytes or the error's message.
import fs from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import type { EvidenceDocument } from "./model";
import { renderEvidencePdf } from "./pdf.server";

/** The nice value this thread runs at: under CPU contention the event loop (webhook intake) goes first. */
export const PDF_THREAD_NICE = 10;

// On Linux each thread is scheduled on its own and setpriority() takes a thread id, so this lowers
// the priority of this thread only. Elsewhere (no /proc/thread-self) the thread keeps the process's.
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) os.setPriority(tid, Math.max(os.getPriority(tid), PDF_THREAD_NICE));
} catch {
  // not Linux, or not allowed: the same priority as the rest of the process
}

export interface RenderRequest {
  id: number;
  doc: EvidenceDocument;
}

export type RenderReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("pdf.worker.ts runs in a worker thread (pdf-thread.server.ts starts it)");

port.on("message", async ({ id, doc }: RenderRequest) => {
  let reply: RenderReply;
  try {
    reply = { id, bytes: await renderEvidencePdf(doc) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});

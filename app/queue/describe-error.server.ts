// Errors as the Events screen shows them (a row's lastError).
import { prismaErrorCode } from "../db.server";

/**
 * The error in one line for lastError (shown on the Events screen). Prisma's messages start with a code
 * frame of our source; keep its closing summary and the database's own words instead.
 */
export function describeError(error: unknown): string {
  const lines = (text: string) =>
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
  let text: string;
  if (prismaErrorCode(error)) {
    const known = error as { code: string; message: string; meta?: Record<string, unknown> };
    const cause = (known.meta?.driverAdapterError as { cause?: { originalMessage?: string } } | undefined)?.cause?.originalMessage;
    text = `${known.code}: ${lines(known.message).at(-1) ?? ""}${cause ? ` (${cause})` : ""}`;
  } else if (error instanceof Error) {
    text = `${error.name === "Error" ? "" : `${error.name}: `}${lines(error.message)[0] ?? ""}`;
  } else {
    text = String(error);
  }
  return text.slice(0, 1000);
}

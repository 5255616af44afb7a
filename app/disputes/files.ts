// Files a merchant attaches as evidence: Checkout.com takes JPG, PNG and PDF up to 4 MB. The type is
// read from the file's first bytes, never from its name or the browser's claim.
import type { Words } from "../i18n/locales";
import { FILE_LIMIT_BYTES } from "./model";

const ACCEPTED_TYPES = {
  "application/pdf": { extension: "pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  "image/png": { extension: "png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  "image/jpeg": { extension: "jpg", magic: [0xff, 0xd8, 0xff] },
} as const;
export type AcceptedType = keyof typeof ACCEPTED_TYPES;

export function sniffEvidenceType(data: Uint8Array): AcceptedType | null {
  for (const [type, { magic }] of Object.entries(ACCEPTED_TYPES)) {
    if (data.length >= magic.length && magic.every((byte, i) => data[i] === byte)) return type as AcceptedType;
  }
  return null;
}

/** A refusal's `message` is English (the audit log); its `words` say it in a staff member's language. */
export type FileCheck = { ok: true; contentType: AcceptedType; filename: string } | { ok: false; message: string; words: Words };

/** Checks an attached file and gives it a safe name with the extension of its real type. */
export function checkEvidenceFile(name: string, data: Uint8Array): FileCheck {
  if (data.length === 0) return { ok: false, message: "The file is empty.", words: { key: "disputes.file.empty" } };
  if (data.length > FILE_LIMIT_BYTES)
    return { ok: false, message: "The file is larger than 4 MB, the most Checkout.com accepts.", words: { key: "disputes:actions.tooLarge" } };
  const contentType = sniffEvidenceType(data);
  if (!contentType) return { ok: false, message: "Only PDF, PNG and JPG files can be sent to Checkout.com.", words: { key: "disputes.file.type" } };
  const base =
    name
      .replace(/\.[^.]*$/, "")
      .replace(/[^A-Za-z0-9._ -]+/g, "")
      .trim()
      .slice(0, 80) || "evidence";
  return { ok: true, contentType, filename: `${base}.${ACCEPTED_TYPES[contentType].extension}` };
}

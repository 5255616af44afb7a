// What the stand-in accepts in request bodies and queries, written from the NAS OpenAPI description
// (CaptureRequest, RefundRequest, VoidRequest, ProvideEvidenceRequest, GET /disputes parameters, File).
// Unknown fields are refused. conformance.test.ts checks these against the spec itself, so they cannot
// drift from it. Nested objects the app never sends (customer, shipping, items...) are checked only
// for being objects or arrays.
import { z } from "zod";
import { invalid } from "./errors";

const object = z.record(z.unknown());
/** Metadata holds one level of primitives. */
const metadata = z.record(z.union([z.string(), z.number(), z.boolean()]));
const amount = z.number().int().min(0);
const reference = z.string().max(50);

export const captureRequest = z
  .object({
    amount: amount.optional(),
    capture_type: z.enum(["NonFinal", "Final"]).optional(),
    reference: reference.optional(),
    customer: object.optional(),
    description: z.string().max(100).optional(),
    billing_descriptor: object.optional(),
    shipping: object.optional(),
    items: z.array(object).optional(),
    marketplace: object.optional(),
    amount_allocations: z.array(object).optional(),
    processing: object.optional(),
    metadata: metadata.optional(),
  })
  .strict();
export type CaptureRequest = z.infer<typeof captureRequest>;

export const refundRequest = z
  .object({
    amount: amount.optional(),
    amount_allocations: z.array(object).optional(),
    reference: reference.optional(),
    metadata: metadata.optional(),
  })
  .strict();
export type RefundRequest = z.infer<typeof refundRequest>;

export const voidRequest = z.object({ reference: reference.optional(), metadata: metadata.optional() }).strict();
export type VoidRequest = z.infer<typeof voidRequest>;

const EVIDENCE_KINDS = [
  "proof_of_delivery_or_service",
  "invoice_or_receipt",
  "invoice_showing_distinct_transactions",
  "customer_communication",
  "refund_or_cancellation_policy",
  "recurring_transaction_agreement",
  "additional_evidence",
  "proof_of_delivery_or_service_date",
] as const;
const EVIDENCE_TEXT_MAX = 500;
const evidenceTextFields = EVIDENCE_KINDS.map((k) => `${k}_text`);
export const evidenceFileFields = EVIDENCE_KINDS.map((k) => `${k}_file`);

export const provideEvidenceRequest = z
  .object({
    ...Object.fromEntries(evidenceTextFields.map((f) => [f, z.string().max(EVIDENCE_TEXT_MAX).optional()])),
    ...Object.fromEntries(evidenceFileFields.map((f) => [f, z.string().optional()])),
    // The spec lists the evidence links among the request fields; they are accepted and ignored.
    _links: object.optional(),
  })
  .strict();
/** Evidence fields by name; `_links`, if sent, is an object and ignored. */
export type ProvideEvidenceRequest = Record<string, unknown>;

/** Parses a JSON body (empty means `{}`) with a schema, or throws the 422 Checkout.com would answer. */
export function parseJsonBody<S extends z.ZodTypeAny>(schema: S, raw: Buffer): z.infer<S> {
  let value: unknown = {};
  if (raw.length > 0) {
    try {
      value = JSON.parse(raw.toString("utf8"));
    } catch {
      throw invalid("request_json_invalid");
    }
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const codes = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") issue.keys.forEach((k) => codes.add(`${k}_invalid`));
    else codes.add(issue.path.length ? `${String(issue.path[0])}_invalid` : "request_invalid");
  }
  throw invalid(...codes);
}

export interface DisputeQuery {
  limit: number;
  skip: number;
  from?: string;
  to?: string;
  id?: string;
  statuses?: string[];
  payment_id?: string;
  payment_reference?: string;
}

/**
 * A paging number (`limit`, `skip`) of a list query, or the 422 `paging_<name>_invalid` the spec names
 * (`refuse`: another API's error for it).
 */
export function pagingInt(params: URLSearchParams, name: string, fallback: number, min: number, max: number, refuse = () => invalid(`paging_${name}_invalid`)) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw refuse();
  return n;
}

/** GET /disputes parameters. Bad paging answers 422 with the paging codes the spec names. */
export function parseDisputeQuery(params: URLSearchParams): DisputeQuery {
  const date = (name: "from" | "to") => {
    const raw = params.get(name) ?? undefined;
    if (raw !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(Date.parse(raw)))) throw invalid(`paging_${name}_invalid`);
    return raw;
  };
  const text = (name: string) => params.get(name) || undefined;
  const statuses = text("statuses")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Entity and channel filters (entity_ids, this_channel_only...) do not apply to a stand-in account: ignored.
  return {
    limit: pagingInt(params, "limit", 50, 1, 250),
    skip: pagingInt(params, "skip", 0, 0, Number.MAX_SAFE_INTEGER),
    from: date("from"),
    to: date("to"),
    id: text("id"),
    statuses,
    payment_id: text("payment_id"),
    payment_reference: text("payment_reference"),
  };
}

export interface PaymentListQuery {
  reference: string;
  limit: number;
  skip: number;
}

/**
 * GET /payments ("Get payment lists") parameters: `reference` is required (422 `reference_required`,
 * the stand-in's code), `limit` 1-100 (default 10), `skip` from 0.
 */
export function parsePaymentListQuery(params: URLSearchParams): PaymentListQuery {
  const reference = params.get("reference");
  if (!reference) throw invalid("reference_required");
  return { reference, limit: pagingInt(params, "limit", 10, 1, 100), skip: pagingInt(params, "skip", 0, 0, Number.MAX_SAFE_INTEGER) };
}

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
const SIGNATURES: Array<{ type: string; bytes: number[] }> = [
  { type: "application/pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
];

/** The file's real type from its first bytes (JPG, PNG or PDF), whatever its name or declared type says. */
function sniffFileType(data: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => data[i] === b))?.type ?? null;
}

export interface UploadedFile {
  filename: string;
  purpose: string;
  data: Buffer;
  contentType: string;
}

/** POST /files: multipart `file` + `purpose=dispute_evidence`; JPG, PNG or PDF up to 4 MB. */
export async function parseFileUpload(url: string, headers: Record<string, string>, raw: Buffer): Promise<UploadedFile> {
  if (!/^multipart\/form-data/i.test(headers["content-type"] ?? "")) throw invalid("request_invalid");
  let form: FormData;
  try {
    form = await new Request(url, { method: "POST", headers, body: new Uint8Array(raw) }).formData();
  } catch {
    throw invalid("request_invalid");
  }
  const file = form.get("file");
  const purpose = form.get("purpose");
  const codes: string[] = [];
  if (purpose === null || purpose === "") codes.push("purpose_required");
  else if (purpose !== "dispute_evidence") codes.push("purpose_invalid");
  if (!(file instanceof Blob)) codes.push("file_required");
  if (codes.length || !(file instanceof Blob)) throw invalid(...codes);
  if (file.size > MAX_FILE_BYTES) throw invalid("file_size_too_large");
  const data = Buffer.from(await file.arrayBuffer());
  const contentType = sniffFileType(data);
  if (!contentType) throw invalid("file_type_not_supported");
  return { filename: (file as File).name || "upload", purpose: String(purpose), data, contentType };
}

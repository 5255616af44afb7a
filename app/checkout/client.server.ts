// The one place that talks to Checkout.com. It builds a checkout-sdk-node client per connection,
// parses every response with zod, maps failures to CheckoutError, and retries only what is safe:
// reads, and writes that carry an idempotency key, on 429/5xx/network errors.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Checkout } from "checkout-sdk-node";
import type { z } from "zod";
import { log } from "../log.server";
import { CheckoutError } from "./errors";
import type { AccountType, CheckoutEnvironment } from "./keys";
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from "../lib/retry";
import {
  actionAcceptedSchema,
  customerCreatedSchema,
  customerSchema,
  disputeListSchema,
  disputeSchema,
  fileUploadedSchema,
  financialActionListSchema,
  noContentSchema,
  paymentActionsSchema,
  paymentDetailsSchema,
  paymentListSchema,
  reportFileSchema,
  reportListSchema,
  reportSchema,
  workflowCreatedSchema,
  workflowEventTypesSchema,
  workflowListSchema,
  workflowSchema,
  type CustomerDetails,
  type EvidenceRequest,
  type WorkflowRequest,
} from "./schemas";

export interface CheckoutCredentials {
  accountType: AccountType;
  environment: CheckoutEnvironment;
  secretKey: string;
  subdomain?: string | null;
}

export interface ClientOptions {
  /** Another base URL (the local stand-in); defaults to Checkout.com's hosts. */
  baseUrl?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  wait?: (ms: number) => Promise<void>;
}

type Sdk = InstanceType<typeof Checkout>;

/**
 * `headers`: sent on every request of this SDK instance. `httpClient: "axios"`: the SDK's other HTTP
 * client, which sends PATCH in capitals (through fetch it goes out as lowercase `patch`, decision 0014).
 */
function buildSdk(credentials: CheckoutCredentials, options: ClientOptions, extra: { headers?: Record<string, string>; httpClient?: "axios" } = {}): Sdk {
  const common = {
    timeout: options.timeoutMs ?? 15_000,
    ...(extra.headers ? { headers: extra.headers } : {}),
    ...(extra.httpClient ? { httpClient: extra.httpClient } : {}),
  };
  if (options.baseUrl) return new Checkout(credentials.secretKey, { ...common, host: options.baseUrl.replace(/\/$/, "") });
  if (credentials.accountType === "NAS") {
    // NAS accounts must use their own subdomain host; the connection form requires it.
    return new Checkout(credentials.secretKey, { ...common, subdomain: credentials.subdomain ?? undefined });
  }
  return new Checkout(credentials.secretKey, common);
}

/** Turns whatever the SDK threw into a CheckoutError. */
function toCheckoutError(error: unknown): CheckoutError {
  if (error instanceof CheckoutError) return error;
  const e = error as { name?: string; http_code?: number; body?: unknown; message?: string };
  const status = typeof e?.http_code === "number" ? e.http_code : undefined;
  const body = (e?.body ?? {}) as { error_codes?: unknown; request_id?: string; error_type?: string };
  const codes = Array.isArray(body.error_codes) ? body.error_codes.map(String) : [];
  const requestId = typeof body.request_id === "string" ? body.request_id : undefined;
  if (e?.name === "ApiTimeout") return new CheckoutError("unavailable", "Checkout.com did not answer in time", 408);
  switch (status) {
    case 401:
    case 403:
      return new CheckoutError("authentication", "Checkout.com refused the credentials", status, codes, requestId);
    case 404:
      return new CheckoutError("not_found", "Not found at Checkout.com", status, codes, requestId);
    case 409:
      return new CheckoutError("conflict", "A request with this idempotency key is in progress", status, codes, requestId);
    case 400:
    case 422:
      return new CheckoutError("validation", `Checkout.com refused the request${codes.length ? `: ${codes.join(", ")}` : ""}`, status, codes, requestId);
    case 429:
      return new CheckoutError("rate_limited", "Checkout.com rate limit reached", status, codes, requestId);
  }
  if (status && status >= 500) return new CheckoutError("unavailable", `Checkout.com answered ${status}`, status, codes, requestId);
  // No HTTP status: a network failure (DNS, refused connection, reset). The SDK puts the URL in the
  // message; keep only the reason.
  const reason = /reason: (.*)$/.exec(e?.message ?? "")?.[1] ?? "network error";
  return new CheckoutError("unavailable", `Could not reach Checkout.com (${reason})`);
}

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new CheckoutError(
      "invalid_response",
      `Checkout.com returned an unexpected ${what}: ${result.error.issues[0]?.path.join(".")} ${result.error.issues[0]?.message}`,
    );
  }
  return result.data;
}

/**
 * Query parameters for the SDK's list calls, which join `key=value` into the URL as given: values are
 * encoded here (a reference such as "#1001" would otherwise end the URL at its "#").
 */
function queryOf(params: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).flatMap(([key, value]) => (value === undefined ? [] : [[key, encodeURIComponent(String(value))]])));
}

/**
 * A customer identifier (id or email) as a path segment: the SDK puts it into the URL as given, so it is
 * encoded here; "@" may stay as it is in a path.
 */
const customerPath = (identifier: string) => encodeURIComponent(identifier).replaceAll("%40", "@");

const retryable = (error: unknown) => error instanceof CheckoutError && error.retryable;

export type CheckoutClient = ReturnType<typeof createCheckoutClient>;

export function createCheckoutClient(credentials: CheckoutCredentials, options: ClientOptions = {}) {
  const sdk = buildSdk(credentials, options);
  const policy = options.retry ?? DEFAULT_RETRY;

  /** One request: a failure becomes a CheckoutError and a log line (what failed, never a body or a key). */
  const once = async <S extends z.ZodTypeAny>(what: string, schema: S, call: (sdk: Sdk) => Promise<unknown>): Promise<z.infer<S>> => {
    let response: unknown;
    try {
      response = await call(sdk);
    } catch (thrown) {
      const error = toCheckoutError(thrown);
      log.warn("checkout.request_failed", { what, kind: error.kind, status: error.status, codes: error.codes, requestId: error.requestId });
      throw error;
    }
    return parse(schema, response, what);
  };

  /** Reads are always safe to retry. */
  const read = <S extends z.ZodTypeAny>(what: string, schema: S, call: (sdk: Sdk) => Promise<unknown>) =>
    withRetry(() => once(what, schema, call), retryable, policy, options.wait);

  /** Writes are retried only with an idempotency key, which Checkout.com uses to answer a repeat with the first result. */
  const write = <S extends z.ZodTypeAny>(what: string, schema: S, idempotencyKey: string | undefined, call: (sdk: Sdk) => Promise<unknown>) =>
    withRetry(
      () => once(what, schema, call),
      (error) => idempotencyKey !== undefined && retryable(error),
      policy,
      options.wait,
    );

  /** Calls that the SDK cannot give an idempotency key get it as a header on a dedicated client. */
  const withHeader = (idempotencyKey: string) => buildSdk(credentials, options, { headers: { "Cko-Idempotency-Key": idempotencyKey } });

  return {
    /** GET /payments?reference=: a reference's payments (limit 1-100, default 10). */
    listPayments: (query: { reference: string; limit?: number; skip?: number }) =>
      read("payment list", paymentListSchema, (s) => s.payments.getPaymentList(queryOf(query))),
    getPayment: (paymentId: string) => read("payment", paymentDetailsSchema, (s) => s.payments.get(paymentId)),
    getPaymentActions: (paymentId: string) => read("payment actions", paymentActionsSchema, (s) => s.payments.getActions(paymentId)),

    capture: (paymentId: string, body: { amount?: number; reference?: string }, idempotencyKey: string) =>
      write("capture response", actionAcceptedSchema, idempotencyKey, (s) => s.payments.capture(paymentId, body, idempotencyKey)),
    refund: (paymentId: string, body: { amount?: number; reference?: string }, idempotencyKey: string) =>
      write("refund response", actionAcceptedSchema, idempotencyKey, (s) => s.payments.refund(paymentId, body, idempotencyKey)),
    void: (paymentId: string, body: { reference?: string }, idempotencyKey: string) =>
      write("void response", actionAcceptedSchema, idempotencyKey, (s) => s.payments.void(paymentId, body, idempotencyKey)),

    listDisputes: (query: { limit?: number; skip?: number; payment_id?: string; statuses?: readonly string[] } = {}) =>
      read("dispute list", disputeListSchema, (s) => s.disputes.get(queryOf({ ...query, statuses: query.statuses?.join(",") }))),
    getDispute: (disputeId: string) => read("dispute", disputeSchema, (s) => s.disputes.getDetails(disputeId)),
    /** PUT /disputes/{id}/evidence: can be repeated with the same content, so it is retried. */
    provideEvidence: (disputeId: string, evidence: EvidenceRequest, idempotencyKey: string) =>
      write("evidence response", (disputeSchema.partial() as z.ZodTypeAny).optional(), idempotencyKey, () =>
        withHeader(idempotencyKey)
          .disputes.provideEvidence(disputeId, evidence)
          .then(() => undefined),
      ),
    /** POST /disputes/{id}/evidence: final. Retried only with the key; the caller guards it once in the database. */
    submitEvidence: (disputeId: string, idempotencyKey: string) =>
      write("submit response", (disputeSchema.partial() as z.ZodTypeAny).optional(), idempotencyKey, () =>
        withHeader(idempotencyKey)
          .disputes.submit(disputeId)
          .then(() => undefined),
      ),
    acceptDispute: (disputeId: string, idempotencyKey: string) =>
      write("accept response", (disputeSchema.partial() as z.ZodTypeAny).optional(), idempotencyKey, () =>
        withHeader(idempotencyKey)
          .disputes.accept(disputeId)
          .then(() => undefined),
      ),
    // Workflows (NAS): the app's webhook registration. Creating and testing are not retried (no
    // idempotency key); a DELETE repeated gives the same result, so it is. No PATCH: the SDK sends it
    // as a lowercase `patch` through fetch, which servers refuse (400), so a workflow is replaced.
    workflowEventTypes: () => read("workflow event types", workflowEventTypesSchema, (s) => s.workflows.getEventTypes()),
    listWorkflows: () => read("workflow list", workflowListSchema, (s) => s.workflows.getAll()),
    getWorkflow: (workflowId: string) => read("workflow", workflowSchema, (s) => s.workflows.get(workflowId)),
    addWorkflow: (body: WorkflowRequest) => write("workflow", workflowCreatedSchema, undefined, (s) => s.workflows.add(body)),
    removeWorkflow: (workflowId: string) =>
      read("workflow removal", (workflowSchema.partial() as z.ZodTypeAny).optional(), (s) => s.workflows.remove(workflowId).then(() => undefined)),
    testWorkflow: (workflowId: string, eventTypes: string[]) =>
      write("workflow test", (workflowSchema.partial() as z.ZodTypeAny).optional(), undefined, (s) =>
        s.workflows.test(workflowId, { event_types: eventTypes }).then(() => undefined),
      ),
    /**
     * POST /workflows/events/reflow: Checkout.com delivers the events of these subjects (payment ids)
     * again, with their ids, through these workflows. Retried like a read: a repeat only delivers
     * events again, and the inbox stores each event once.
     */
    reflowSubjects: (subjects: string[], workflowIds: string[]) =>
      read("reflow", (workflowSchema.partial() as z.ZodTypeAny).optional(), (s) =>
        s.workflows.reflowEventsBySubjectAndWorkflowIds(subjects, workflowIds).then(() => undefined),
      ),

    // Money settlement: what Checkout.com recorded for each payment (fees included), and the payout
    // reports. Reads, retried like the others.
    /** GET /financial-actions: one of paymentId, actionId, reference is required; limit 1-100 (default 100). */
    listFinancialActions: (query: { paymentId?: string; actionId?: string; reference?: string; limit?: number; paginationToken?: string }) =>
      read("financial action list", financialActionListSchema, (s) =>
        s.financial.query(
          queryOf({
            payment_id: query.paymentId,
            action_id: query.actionId,
            reference: query.reference,
            limit: query.limit,
            pagination_token: query.paginationToken,
          }),
        ),
      ),
    /** GET /reports: ISO date-times; limit 1-100 (default 100). */
    listReports: (query: { createdAfter?: string; createdBefore?: string; limit?: number; paginationToken?: string } = {}) =>
      read("report list", reportListSchema, (s) =>
        s.reports.getAllReports(
          queryOf({ created_after: query.createdAfter, created_before: query.createdBefore, limit: query.limit, pagination_token: query.paginationToken }),
        ),
      ),
    getReport: (reportId: string) => read("report", reportSchema, (s) => s.reports.getReportDetails(reportId)),
    /**
     * GET /reports/{id}/files/{fileId}: the CSV text. Checkout.com answers 302 to a short-lived download
     * link; the SDK's fetch follows it (and drops the key when the link is on another host).
     */
    getReportFile: (reportId: string, fileId: string) => read("report file", reportFileSchema, (s) => s.reports.getReportFile(reportId, fileId)),

    // Customers (the Vault's customer objects).
    /** GET /customers/{identifier}: by id (cus_...) or email. */
    getCustomer: (identifier: string) => read("customer", customerSchema, (s) => s.customers.get(customerPath(identifier))),
    /** POST /customers: retried only with the key, with which Checkout.com answers a repeat with the first customer. */
    createCustomer: (body: CustomerDetails & { email: string }, idempotencyKey?: string) =>
      write("customer created", customerCreatedSchema, idempotencyKey, (s) => (idempotencyKey ? withHeader(idempotencyKey) : s).customers.create(body)),
    /** PATCH /customers/{id}: sets the fields it names, so a repeat changes nothing more; retried like a read. */
    updateCustomer: (customerId: string, body: CustomerDetails) =>
      read("customer update", noContentSchema, () =>
        buildSdk(credentials, options, { httpClient: "axios" })
          .customers.update(customerPath(customerId), body)
          .then(() => undefined),
      ),

    /** POST /files (multipart). The SDK names the part after the file path, so the bytes go through a temp file. */
    uploadFile: async (file: { filename: string; data: Uint8Array }, purpose = "dispute_evidence") => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-upload-"));
      const filePath = path.join(dir, path.basename(file.filename));
      fs.writeFileSync(filePath, file.data);
      try {
        return await write("file upload response", fileUploadedSchema, undefined, (s) => s.files.upload({ file: fs.createReadStream(filePath), purpose }));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

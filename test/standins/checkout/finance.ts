// Money settlement at the stand-in: the financial actions Checkout.com records when money moves (a
// capture, a refund, a chargeback and its reversal), each with the fees of a fixed schedule; payouts
// that sweep an account's unpaid actions, one per holding currency; and each payout's "Financial
// actions by payout ID" report with its CSV file. Serves GET /financial-actions and GET /reports...
// (NAS spec, tags "Financial actions" and "Reports"). README.md "Money settlement" is the contract.
import crypto from "node:crypto";
import { currencyDigits } from "../../../app/lib/money";
import { ckoId } from "../../fixtures/checkout-events";
import { ApiError } from "./errors";
import { pagingInt } from "./requests";
import type { PaymentAction, StoredDispute, StoredPayment } from "./state";
import { downloadUrl } from "./views";

// ---- amounts ----

/** Amounts are kept as integers of 10^-8 major units: Checkout.com's breakdown amounts have up to 8 decimals. */
const SCALE = 8;
const ONE = 10n ** BigInt(SCALE);

/** A decimal text ("0.10") as units. */
function units(decimal: string): bigint {
  const [whole, fraction = ""] = decimal.split(".");
  return BigInt(whole + fraction.padEnd(SCALE, "0"));
}

const unitsOfMinor = (minor: number, currency: string) => BigInt(minor) * 10n ** BigInt(SCALE - currencyDigits(currency));

/** "-0.1308", "65.40": the currency's decimals at least, up to 8, no float on the way. */
function decimalText(amount: bigint, currency: string): string {
  const abs = amount < 0n ? -amount : amount;
  const fraction = (abs % ONE).toString().padStart(SCALE, "0").replace(/0+$/, "").padEnd(currencyDigits(currency), "0");
  return `${amount < 0n ? "-" : ""}${abs / ONE}${fraction ? `.${fraction}` : ""}`;
}

// ---- the fee schedule (README "Fees") ----

type Fee = { type: string; basisPoints: bigint } | { type: string; fixed: bigint };

/**
 * Per gross line: its sign (money in positive, out negative) and the fees that follow it (always
 * negative; variable fees in basis points of the gross amount, fixed fees in the payment currency's
 * major units). Variable fees are exact: amounts have at most 3 decimals, so 10^-8 units divide evenly.
 */
const SCHEDULE = {
  Capture: {
    sign: 1n,
    fees: [
      { type: "Interchange Variable Fee", basisPoints: 20n },
      { type: "Scheme Variable Fee", basisPoints: 10n },
      { type: "Scheme Fixed Fee", fixed: units("0.02") },
      { type: "Gateway Fixed Fee", fixed: units("0.10") },
    ],
  },
  Refund: { sign: -1n, fees: [{ type: "Refund Fixed Fee", fixed: units("0.10") }] },
  "Chargeback (ADJM)": { sign: -1n, fees: [{ type: "Chargeback Fee", fixed: units("15.00") }] },
  "Chargeback (CBRV)": { sign: 1n, fees: [] },
  "Chargeback (ARBW)": { sign: 1n, fees: [] },
} satisfies Record<string, { sign: bigint; fees: Fee[] }>;
type Gross = keyof typeof SCHEDULE;

/** Dispute outcomes that debit the chargeback, and those that give it back once it was debited. */
const DEBITING = new Set(["lost", "accepted", "arbitration_lost"]);
const REVERSING: Record<string, Gross> = { won: "Chargeback (CBRV)", arbitration_won: "Chargeback (ARBW)" };

// ---- fixed ids per account: one entity, client, processing channel, and a currency account per currency ----

const entityOf = (accountId: string) => ckoId("ent", `entity:${accountId}`);
const clientOf = (accountId: string) => ckoId("cli", `client:${accountId}`);
const channelOf = (accountId: string) => ckoId("pc", `channel:${accountId}`);
const currencyAccountOf = (accountId: string, currency: string) => ckoId("ca", `currency-account:${accountId}:${currency}`);

// ---- records ----

interface BreakdownLine {
  type: string;
  amount: bigint;
}

export interface FinancialAction {
  /** The gateway action's id for captures and refunds (so `action_id` finds it); a new one for chargebacks. */
  id: string;
  /** Creation order: breaks ties between actions processed in the same millisecond. */
  seq: number;
  accountId: string;
  type: "Capture" | "Refund" | "Chargeback";
  paymentId: string;
  reference?: string;
  processingChannelId: string;
  /** The card scheme in capitals ("VISA"), when the payment is stored. */
  paymentMethod?: string;
  /** Processing and holding currency alike: the stand-in does no FX. */
  currency: string;
  requestedOn: Date;
  processedOn: Date;
  /** The gross line first, then its fees. */
  lines: BreakdownLine[];
  disputeId?: string;
  /** Set when a payout took it. */
  payoutId?: string;
}

export interface ReportFile {
  id: string;
  accountId: string;
  reportId: string;
  filename: string;
  data: Buffer;
  contentType: string;
  /** Secret part of the download link. */
  downloadToken: string;
}

export interface StoredReport {
  id: string;
  seq: number;
  accountId: string;
  createdOn: Date;
  payoutId: string;
  currency: string;
  from: Date;
  to: Date;
  file: ReportFile;
}

export interface Payout {
  id: string;
  accountId: string;
  currency: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Oldest first. */
  actions: FinancialAction[];
  /** Sum of every line, in the holding currency (decimal text; may be negative). */
  net: string;
  report: StoredReport;
}

export interface SettleOptions {
  /** YYYY-MM-DD; the stand-in's UTC day by default. */
  payoutDate?: string;
  /** Only this holding currency; every currency with unpaid actions by default. */
  currency?: string;
}

const PAYOUT_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** 12 capitals and digits, zero-led like Checkout.com's ("00000000CFJU"). */
const newPayoutId = () => `0000${Array.from(crypto.randomBytes(8), (b) => PAYOUT_ID_ALPHABET[b % 36]).join("")}`;

const byProcessedOn = (a: FinancialAction, b: FinancialAction) => a.processedOn.getTime() - b.processedOn.getTime() || a.seq - b.seq;
const sum = (amounts: bigint[]) => amounts.reduce((total, amount) => total + amount, 0n);

export class Finance {
  /** Oldest first. */
  readonly actions: FinancialAction[] = [];
  readonly reports = new Map<string, StoredReport>();
  /** Report files by id, downloadable at /_standin/downloads/{id}/{token} like uploaded files. */
  readonly files = new Map<string, ReportFile>();
  private seq = 0;

  constructor(private readonly clock: () => Date) {}

  /** A capture or refund that moved the payment's balance (state.ts calls it after the move). */
  paymentAction(payment: StoredPayment, action: PaymentAction & { type: "Capture" | "Refund" }) {
    this.add({
      id: action.id,
      accountId: payment.accountId,
      type: action.type,
      gross: action.type,
      amount: action.amount,
      payment,
      paymentId: payment.fixture.id,
      reference: action.reference ?? payment.fixture.reference,
      currency: payment.fixture.currency,
      requestedOn: action.processedOn,
      processedOn: action.processedOn,
    });
  }

  /** A dispute changed status: a loss debits the chargeback once; a win after the debit credits it back once. */
  disputeMoved(dispute: StoredDispute, payment: StoredPayment | undefined) {
    const f = dispute.fixture;
    const earlier = this.actions.filter((a) => a.disputeId === f.id).length;
    const gross = DEBITING.has(f.status) && earlier === 0 ? "Chargeback (ADJM)" : earlier === 1 ? REVERSING[f.status] : undefined;
    if (!gross) return;
    const now = this.clock();
    this.add({
      id: ckoId("act"),
      accountId: dispute.accountId,
      type: "Chargeback",
      gross,
      amount: f.amount,
      payment,
      paymentId: f.paymentId,
      reference: f.paymentReference,
      currency: f.currency,
      requestedOn: now,
      processedOn: now,
      disputeId: f.id,
    });
  }

  private add(
    input: Omit<FinancialAction, "seq" | "lines" | "processingChannelId" | "paymentMethod"> & { gross: Gross; amount: number; payment?: StoredPayment },
  ) {
    const { gross, amount, payment, ...action } = input;
    const value = unitsOfMinor(amount, action.currency);
    const { sign, fees } = SCHEDULE[gross];
    const lines = [
      { type: gross, amount: sign * value },
      ...fees.map((fee: Fee) => ({ type: fee.type, amount: -("basisPoints" in fee ? (value * fee.basisPoints) / 10_000n : fee.fixed) })),
    ];
    this.actions.push({
      ...action,
      seq: ++this.seq,
      processingChannelId: payment?.fixture.processingChannelId ?? channelOf(action.accountId),
      paymentMethod: payment?.fixture.scheme?.toUpperCase(),
      lines,
    });
  }

  /** GET /financial-actions: latest first. */
  listActions(accountId: string, q: FinancialActionQuery) {
    const matches = this.actions
      .filter((a) => a.accountId === accountId)
      .filter((a) => (!q.payment_id || a.paymentId === q.payment_id) && (!q.action_id || a.id === q.action_id) && (!q.reference || a.reference === q.reference))
      .sort((a, b) => byProcessedOn(b, a));
    return page(matches, (a) => a.processedOn, q.limit, q.pagination_token);
  }

  /**
   * Pays out every unpaid action of the account, one payout per holding currency (or only `currency`),
   * each with its report and CSV file. Nothing unpaid: no payout.
   */
  settle(accountId: string, options: SettleOptions = {}): Payout[] {
    const now = this.clock();
    const date = options.payoutDate ?? now.toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`payoutDate ${date} is not YYYY-MM-DD`);
    const unpaid = this.actions.filter((a) => a.accountId === accountId && !a.payoutId && (!options.currency || a.currency === options.currency));
    const currencies = [...new Set(unpaid.map((a) => a.currency))].sort();
    return currencies.map((currency) => {
      const id = newPayoutId();
      const actions = unpaid.filter((a) => a.currency === currency).sort(byProcessedOn);
      actions.forEach((a) => (a.payoutId = id));
      const net = decimalText(sum(actions.flatMap((a) => a.lines.map((l) => l.amount))), currency);
      return { id, accountId, currency, date, actions, net, report: this.addReport(accountId, id, currency, date, actions, now) };
    });
  }

  private addReport(accountId: string, payoutId: string, currency: string, date: string, actions: FinancialAction[], now: Date): StoredReport {
    const reportId = ckoId("rpt");
    const file: ReportFile = {
      id: ckoId("file"),
      accountId,
      reportId,
      filename: `financial-actions_${entityOf(accountId)}_${date.replaceAll("-", "")}_${payoutId}_1.csv`,
      data: Buffer.from(reportCsv(actions), "utf8"),
      contentType: "text/csv; charset=utf-8",
      downloadToken: crypto.randomBytes(16).toString("hex"),
    };
    const report: StoredReport = {
      id: reportId,
      seq: ++this.seq,
      accountId,
      createdOn: now,
      payoutId,
      currency,
      from: actions[0].processedOn,
      to: actions[actions.length - 1].processedOn,
      file,
    };
    this.reports.set(report.id, report);
    this.files.set(file.id, file);
    return report;
  }

  /** GET /reports: latest first. */
  listReports(accountId: string, q: ReportQuery) {
    const matches = [...this.reports.values()]
      .filter((r) => r.accountId === accountId && (!q.entity_id || q.entity_id === entityOf(accountId)))
      .filter((r) => (q.created_after === undefined || r.createdOn >= q.created_after) && (q.created_before === undefined || r.createdOn < q.created_before))
      .sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime() || b.seq - a.seq);
    return page(matches, (r) => r.createdOn, q.limit, q.pagination_token);
  }

  /** A report of this account, or 404 `report_not_found` (with a body, as the spec documents). */
  report(accountId: string, id: string): StoredReport {
    const report = this.reports.get(id);
    if (!report || report.accountId !== accountId) throw new ApiError(404, ["report_not_found"], "not_found");
    return report;
  }

  reportFile(accountId: string, reportId: string, fileId: string): ReportFile {
    const { file } = this.report(accountId, reportId);
    if (file.id !== fileId) throw new ApiError(404, ["report_file_not_found"], "not_found");
    return file;
  }
}

// ---- the CSV (README "Report file") ----

/** Checkout.com's column names where its report references name them (README lists the sources). */
export const REPORT_COLUMNS = [
  "Client Entity ID",
  "Currency Account ID",
  "Processing Channel ID",
  "Payout ID",
  "Action Type",
  "Action ID",
  "Payment ID",
  "Reference",
  "Payment Method",
  "Requested On",
  "Processed On",
  "Breakdown Type",
  "FX Rate Applied",
  "Holding Currency",
  "Holding Currency Amount",
  "Processing Currency",
  "Processing Currency Amount",
] as const;

/** RFC 4180 quoting only: app/lib/csv's csvCell would prefix negative amounts with a quote mark. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** One row per breakdown line, actions in the order given (chronological). */
function reportCsv(actions: FinancialAction[]): string {
  const rows = actions.flatMap((a) =>
    a.lines.map((line) => {
      const amount = decimalText(line.amount, a.currency);
      return [
        entityOf(a.accountId),
        currencyAccountOf(a.accountId, a.currency),
        a.processingChannelId,
        a.payoutId ?? "",
        a.type,
        a.id,
        a.paymentId,
        a.reference ?? "",
        a.paymentMethod ?? "",
        a.requestedOn.toISOString(),
        a.processedOn.toISOString(),
        line.type,
        "1",
        a.currency,
        amount,
        a.currency,
        amount,
      ];
    }),
  );
  return [REPORT_COLUMNS, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

// ---- queries ----

interface Cursor {
  /** Epoch ms of the last item's sort time. */
  at: number;
  seq: number;
}

/** 422 in the error format of these two APIs: `invalid_request` with `invalid_<field>` codes. */
const refused = (code: string) => new ApiError(422, [code], "invalid_request");

/** An opaque token (base64url JSON) continuing after an item, so items added meanwhile shift nothing. */
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

function cursorOf(params: URLSearchParams): Cursor | undefined {
  const raw = params.get("pagination_token");
  if (!raw) return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
    if (Number.isSafeInteger(c.at) && Number.isSafeInteger(c.seq)) return c as Cursor;
  } catch {
    // not base64url JSON: refused below
  }
  throw refused("invalid_pagination_token");
}

const limitOf = (params: URLSearchParams) => pagingInt(params, "limit", 100, 1, 100, () => refused("invalid_limit"));

/** Items sorted latest first; the page after `after`, and the token of the next one when more follow. */
function page<T extends { seq: number }>(sorted: T[], time: (item: T) => Date, limit: number, after: Cursor | undefined) {
  const start = after ? sorted.findIndex((item) => time(item).getTime() < after.at || (time(item).getTime() === after.at && item.seq < after.seq)) : 0;
  const rest = start < 0 ? [] : sorted.slice(start);
  const data = rest.slice(0, limit);
  const last = data[data.length - 1];
  return { data, next: rest.length > limit ? encodeCursor({ at: time(last).getTime(), seq: last.seq }) : undefined };
}

export interface FinancialActionQuery {
  payment_id?: string;
  action_id?: string;
  reference?: string;
  limit: number;
  pagination_token?: Cursor;
}

/** GET /financial-actions: one of payment_id, action_id, reference is required (all given: all must match). */
export function parseFinancialActionQuery(params: URLSearchParams): FinancialActionQuery {
  const text = (name: string) => params.get(name) || undefined;
  const query = {
    payment_id: text("payment_id"),
    action_id: text("action_id"),
    reference: text("reference"),
    limit: limitOf(params),
    pagination_token: cursorOf(params),
  };
  if (!query.payment_id && !query.action_id && !query.reference) throw refused("payment_id_or_action_id_or_reference_required");
  return query;
}

export interface ReportQuery {
  created_after?: Date;
  created_before?: Date;
  entity_id?: string;
  limit: number;
  pagination_token?: Cursor;
}

/** A date-time query value; without an offset (the spec's examples have none) it is UTC. */
function dateTimeOf(params: URLSearchParams, name: string): Date | undefined {
  const raw = params.get(name) || undefined;
  if (raw === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(raw) ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(raw) ? raw : `${raw}Z`) : NaN;
  if (Number.isNaN(at)) throw refused(`invalid_${name}`);
  return new Date(at);
}

export function parseReportQuery(params: URLSearchParams): ReportQuery {
  const entity = params.get("entity_id") || undefined;
  if (entity !== undefined && !/^ent_\w+$/.test(entity)) throw refused("invalid_entity_id");
  return {
    created_after: dateTimeOf(params, "created_after"),
    created_before: dateTimeOf(params, "created_before"),
    entity_id: entity,
    limit: limitOf(params),
    pagination_token: cursorOf(params),
  };
}

// ---- views (FinancialActionListResponse, ReportListResponse, ReportResponse) ----

const iso = (d: Date) => d.toISOString();
const link = (href: string) => ({ href });

function financialActionView(a: FinancialAction) {
  const amount = (line: BreakdownLine) => Number(decimalText(line.amount, a.currency));
  return {
    payment_id: a.paymentId,
    action_id: a.id,
    action_type: a.type,
    entity_id: entityOf(a.accountId),
    currency_account_id: currencyAccountOf(a.accountId, a.currency),
    payment_method: a.paymentMethod,
    processing_channel_id: a.processingChannelId,
    reference: a.reference,
    response_code: "10000",
    response_description: "Approved",
    processed_on: iso(a.processedOn),
    requested_on: iso(a.requestedOn),
    breakdown: a.lines.map((line) => ({
      breakdown_type: line.type,
      fx_rate_applied: 1,
      holding_currency: a.currency,
      holding_currency_amount: amount(line),
      processing_currency: a.currency,
      processing_currency_amount: amount(line),
    })),
  };
}

function reportView(r: StoredReport, base: string) {
  const self = `${base}/reports/${r.id}`;
  return {
    id: r.id,
    created_on: iso(r.createdOn),
    last_modified_on: iso(r.createdOn),
    type: "FinancialActionsByPayoutId",
    description: `Financial actions of payout ${r.payoutId} (${r.currency})`,
    account: { client_id: clientOf(r.accountId), entity_id: entityOf(r.accountId) },
    tags: [`payout_id:${r.payoutId}`],
    from: iso(r.from),
    to: iso(r.to),
    files: [{ id: r.file.id, filename: r.file.filename, format: "CSV", _links: { self: link(`${self}/files/${r.file.id}`) } }],
    _links: { self: link(self) },
  };
}

/** A payout as the control route answers it. */
export const payoutView = (p: Payout) => ({
  payout_id: p.id,
  currency: p.currency,
  payout_date: p.date,
  net_amount: Number(p.net),
  action_ids: p.actions.map((a) => a.id),
  report_id: p.report.id,
  file_id: p.report.file.id,
});

/** `_links` of a list: this request, and the same request with the next page's token when there is one. */
function listLinks(base: string, url: URL, next: string | undefined) {
  const self = link(`${base}${url.pathname}${url.search}`);
  if (!next) return { self };
  const params = new URLSearchParams(url.searchParams);
  params.set("pagination_token", next);
  return { self, next: link(`${base}${url.pathname}?${params}`) };
}

// ---- routes (spread into server.ts's table) ----

interface RouteContext {
  account: { id: string };
  params: string[];
  url: URL;
}
interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function financeRoutes(finance: Finance, base: () => string): Array<[method: string, pattern: RegExp, handler: (ctx: RouteContext) => RouteReply]> {
  return [
    [
      "GET",
      /^\/financial-actions$/,
      ({ account, url }) => {
        const query = parseFinancialActionQuery(url.searchParams);
        const { data, next } = finance.listActions(account.id, query);
        return { status: 200, body: { count: data.length, limit: query.limit, data: data.map(financialActionView), _links: listLinks(base(), url, next) } };
      },
    ],
    [
      "GET",
      /^\/reports$/,
      ({ account, url }) => {
        const query = parseReportQuery(url.searchParams);
        const { data, next } = finance.listReports(account.id, query);
        return {
          status: 200,
          body: { count: data.length, limit: query.limit, data: data.map((r) => reportView(r, base())), _links: listLinks(base(), url, next) },
        };
      },
    ],
    ["GET", /^\/reports\/([^/]+)$/, ({ account, params }) => ({ status: 200, body: reportView(finance.report(account.id, params[0]), base()) })],
    [
      "GET",
      /^\/reports\/([^/]+)\/files\/([^/]+)$/,
      ({ account, params }) => ({ status: 302, headers: { Location: downloadUrl(base(), finance.reportFile(account.id, params[0], params[1])) } }),
    ],
  ];
}

// Checkout.com's customers (the Vault's customer objects, NAS): POST /customers, and GET, PATCH and
// DELETE /customers/{identifier}, written from the NAS OpenAPI description (StoreCustomerRequest,
// UpdateCustomerDetailsRequest, StoreCustomerResponse, RetrieveCustomerResponse). Per account: another
// account's customer is "not found", and an email belongs to one customer of an account at a time.
// conformance.test.ts checks the bodies against the spec itself.
import { z } from "zod";
import { ckoId } from "../../fixtures/checkout-events";
import { invalid, notFound } from "./errors";
import { parseJsonBody } from "./requests";

/** The spec's prose: "a maximum of 10 key-value pairs. Each key and value can be up to 100 characters long." */
const METADATA_MAX_PAIRS = 10;
const METADATA_TEXT_MAX = 100;

const email = z.string().email().max(255);
const name = z.string().max(255);
/** PhoneNumber; other fields in it are dropped, as the spec's schema does not forbid them. */
const phone = z.object({ country_code: z.string().min(1).max(7).optional(), number: z.string().min(6).max(25).optional() });
const metadata = z
  .record(z.string().max(METADATA_TEXT_MAX), z.union([z.string().max(METADATA_TEXT_MAX), z.number(), z.boolean()]))
  .refine((m) => Object.keys(m).length <= METADATA_MAX_PAIRS);
// Instruments are ids of stored cards or bank accounts (src_...). The stand-in stores none, so any id
// names nothing and is refused (StoredCustomers.check); an empty list is fine.
const instrumentFields = { default: z.string().optional(), instruments: z.array(z.string()).optional() };

/** UpdateCustomerDetailsRequest: PATCH replaces each field it names, metadata as a whole ("will replace any existing"). */
export const updateCustomerRequest = z
  .object({ email: email.optional(), name: name.optional(), phone: phone.optional(), metadata: metadata.optional(), ...instrumentFields })
  .strict();
export type UpdateCustomerRequest = z.infer<typeof updateCustomerRequest>;

/** StoreCustomerRequest: the same fields, the email required (422 `email_required` without it, see customerRoutes). */
export const storeCustomerRequest = updateCustomerRequest.required({ email: true });
export type StoreCustomerRequest = z.infer<typeof storeCustomerRequest>;

export interface StoredCustomer {
  id: string;
  accountId: string;
  email: string;
  name?: string;
  phone?: z.infer<typeof phone>;
  metadata?: Record<string, string | number | boolean>;
}

const CUSTOMER_ID = /^cus_\w+$/;
/** Emails are compared without case: one mailbox, one customer. */
const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class StoredCustomers {
  readonly byId = new Map<string, StoredCustomer>();

  /** A customer of this account by id, or by email (GET only; PATCH and DELETE take the id, as the spec says). */
  find(accountId: string, identifier: string, options = { byEmail: true }): StoredCustomer {
    const found = CUSTOMER_ID.test(identifier)
      ? this.byId.get(identifier)
      : options.byEmail
        ? [...this.byId.values()].find((c) => c.accountId === accountId && sameEmail(c.email, identifier))
        : undefined;
    if (!found || found.accountId !== accountId) throw notFound();
    return found;
  }

  create(accountId: string, body: StoreCustomerRequest): StoredCustomer {
    this.check(accountId, body);
    const { default: _default, instruments: _instruments, ...details } = body;
    const customer: StoredCustomer = { id: ckoId("cus"), accountId, ...details };
    this.byId.set(customer.id, customer);
    return customer;
  }

  update(accountId: string, id: string, body: UpdateCustomerRequest): StoredCustomer {
    const customer = this.find(accountId, id, { byEmail: false });
    this.check(accountId, body, customer.id);
    const { default: _default, instruments: _instruments, ...details } = body;
    Object.assign(customer, details);
    return customer;
  }

  remove(accountId: string, id: string) {
    this.byId.delete(this.find(accountId, id, { byEmail: false }).id);
  }

  /** The account's customers, for tests. */
  list(accountId: string): StoredCustomer[] {
    return [...this.byId.values()].filter((c) => c.accountId === accountId);
  }

  /** Rules the schema cannot state: the email is free in this account, and instruments name stored ones. */
  private check(accountId: string, body: UpdateCustomerRequest, self?: string) {
    const codes: string[] = [];
    if (body.default !== undefined) codes.push("default_invalid");
    if (body.instruments?.length) codes.push("instruments_invalid");
    if (body.email && this.list(accountId).some((c) => c.id !== self && sameEmail(c.email, body.email!))) codes.push("customer_email_already_exists");
    if (codes.length) throw invalid(...codes);
  }
}

/** RetrieveCustomerResponse. The stand-in stores no instruments, so the list is always empty. */
function customerView(c: StoredCustomer) {
  return {
    id: c.id,
    email: c.email,
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.phone !== undefined ? { phone: c.phone } : {}),
    ...(c.metadata !== undefined ? { metadata: c.metadata } : {}),
    instruments: [],
  };
}

// ---- routes (spread into server.ts's table) ----

interface RouteContext {
  account: { id: string };
  params: string[];
  raw: Buffer;
}
interface RouteReply {
  status: number;
  body?: unknown;
}

export function customerRoutes(customers: StoredCustomers): Array<[method: string, pattern: RegExp, handler: (ctx: RouteContext) => RouteReply]> {
  return [
    [
      "POST",
      /^\/customers$/,
      ({ account, raw }) => {
        const { email: given, ...body } = parseJsonBody(updateCustomerRequest, raw);
        if (given === undefined) throw invalid("email_required");
        return { status: 201, body: { id: customers.create(account.id, { ...body, email: given }).id } };
      },
    ],
    ["GET", /^\/customers\/([^/]+)$/, ({ account, params }) => ({ status: 200, body: customerView(customers.find(account.id, params[0])) })],
    [
      "PATCH",
      /^\/customers\/([^/]+)$/,
      ({ account, params, raw }) => {
        // An unknown customer is 404 whatever the body says.
        customers.find(account.id, params[0], { byEmail: false });
        customers.update(account.id, params[0], parseJsonBody(updateCustomerRequest, raw));
        return { status: 204 };
      },
    ],
    [
      "DELETE",
      /^\/customers\/([^/]+)$/,
      ({ account, params }) => {
        customers.remove(account.id, params[0]);
        return { status: 204 };
      },
    ],
  ];
}

// What every resolver sees: the store, the shop the access token belongs to, and the calling app.
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { IdempotencyKeys } from "./idempotency";
import type { PaymentsApp } from "./payments-app";
import type { SearchWarning } from "./search";
import { gidType, type AppRecord, type ShopifyStore, type ShopRecord } from "./store";

export interface StandInOptions {
  /** Flow trigger handles the app declares; when set, flowTriggerReceive refuses others. */
  flowTriggerHandles?: string[];
}

/** Per stand-in machinery the money mutations use. */
export interface StandInServices {
  /** Shopify's Checkout.com payments app (carries out REFUND/CAPTURE/VOID at Checkout.com). */
  paymentsApp: PaymentsApp;
  /** Keys of `@idempotent` mutations. */
  idempotency: IdempotencyKeys;
  /** How long an idempotent mutation is "being processed" (a concurrent repeat meets it); default 0. */
  actionLatencyMs: number;
}

export interface RequestContext {
  store: ShopifyStore;
  shop: ShopRecord;
  app: AppRecord;
  options: StandInOptions;
  services: StandInServices;
  searchWarnings: Array<{ path: ReadonlyArray<string | number>; query: string; warnings: SearchWarning[] }>;
}

// Resolver arguments are shaped by the schema, which validation has already checked.
export type Args = any;
type Resolver<T> = (source: T, args: Args, ctx: RequestContext, info: GraphQLResolveInfo) => unknown;
export type Resolvers<T> = Record<string, Resolver<T>>;

/** Fields whose value is the record's property of the same name. */
export function pass<T>(...names: Array<keyof T & string>): Resolvers<T> {
  return Object.fromEntries(names.map((name) => [name, (source: T) => source[name]]));
}

/** Shopify refuses malformed global ids before looking anything up. */
export function requireGid(id: string, argument = "id"): string {
  if (!gidType(id)) {
    throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: "argumentLiteralsIncompatible", argumentName: argument } });
  }
  return id;
}

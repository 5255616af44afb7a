// The HTTP side of the /api/zendesk/* routes: authentication, JSON bodies parsed with the contract's
// schemas, and every failure answered as the contract's `{ error: { code, message } }`.
//
// CORS: none, on purpose. The sidebar calls these routes only through Zendesk's request proxy
// (`secure: true, cors: false`): the proxy signs the JWT with the shared secret and makes the request
// server-to-server, so no browser ever calls this origin. Without Access-Control-* headers a browser
// script on another origin cannot read these answers, which is what we want.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { log } from "../log.server";
import { authenticateZendesk, type ZendeskCaller } from "./auth.server";
import { paymentIdSchema, type ZendeskError } from "./contract";
import { ZendeskApiError, type ErrorCode } from "./errors";

const HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };
const MAX_BODY_BYTES = 16 * 1024;

export const zendeskJson = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: HEADERS });

const errorResponse = (status: number, code: ErrorCode, message: string) => zendeskJson({ error: { code, message } } satisfies ZendeskError, status);

export interface ZendeskEndpointArgs {
  request: Request;
  caller: ZendeskCaller;
  /** The Checkout.com payment id from the path, checked. */
  paymentId: string;
}

/**
 * A route handler that only runs for a verified Zendesk caller. `paymentId` is read from the path when
 * the route has one. Anything unexpected is logged and answered as a 500 in the contract's shape.
 */
export function zendeskEndpoint(handler: (args: ZendeskEndpointArgs) => Promise<Response>) {
  return async ({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    try {
      const caller = await authenticateZendesk(request);
      const paymentId = params.paymentId === undefined ? "" : parseOrThrow(paymentIdSchema, params.paymentId);
      return await handler({ request, caller, paymentId });
    } catch (error) {
      if (error instanceof ZendeskApiError) return errorResponse(error.status, error.code, error.message);
      log.error("zendesk.request_failed", { path: new URL(request.url).pathname, error });
      return errorResponse(
        500,
        "upstream_error",
        "The payments service had an error. Refresh the app to see whether anything changed; trying again will not repeat an action.",
      );
    }
  };
}

/** For the method a route does not take (GET on an action, POST on the timeline). */
export const methodNotAllowed = (allowed: "GET" | "POST") => async () =>
  new Response(JSON.stringify({ error: { code: "invalid_request", message: `Use ${allowed} for this address.` } } satisfies ZendeskError), {
    status: 405,
    headers: { ...HEADERS, Allow: allowed },
  });

function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join(".");
  throw new ZendeskApiError(400, "invalid_request", field ? `${field} ${issue.message}` : issue.message);
}

/** The JSON body, checked against a contract schema. */
export async function readBody<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  // The sidebar sends JSON through Zendesk's proxy; anything else is not from it.
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("Content-Type") ?? "")) {
    throw new ZendeskApiError(415, "invalid_request", "Send the request body as application/json.");
  }
  const tooLarge = () => new ZendeskApiError(413, "invalid_request", "The request is too large.");
  // A declared size over the limit is refused unread; a chunked body is measured once read.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ZendeskApiError(400, "invalid_request", "The request body must be JSON.");
  }
  return parseOrThrow(schema, json);
}

/** The contract's body `ticketId` must be the ticket the token was signed for. */
export function assertSignedTicket(caller: ZendeskCaller, ticketId: number) {
  if (ticketId !== caller.claims.ticket_id) {
    throw new ZendeskApiError(
      403,
      "forbidden",
      `This request was signed for ticket #${caller.claims.ticket_id}, not #${ticketId}. Reload the app on the ticket.`,
    );
  }
}

// Preload for app and worker processes in tests (see shopify-relay.ts):
//   SHOPIFY_RELAY_URL=<relay url> node --import tsx --import ./test/helpers/shopify-relay.preload.ts server.ts
// Sends the process's fetch calls to *.myshopify.com to the relay; everything else goes out as usual.
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const relay = process.env.SHOPIFY_RELAY_URL;
if (!relay) throw new Error("shopify-relay.preload needs SHOPIFY_RELAY_URL");

const SHOPIFY = /^https:\/\/[^/]+\.myshopify\.com\//;
const send = globalThis.fetch;
const interceptor = new FetchInterceptor();
interceptor.apply();
interceptor.on("request", async ({ request, controller }) => {
  if (!SHOPIFY.test(request.url)) return;
  const headers = new Headers(request.headers);
  headers.set("x-shopify-relay-url", request.url);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  try {
    controller.respondWith(await send(relay, { method: request.method, headers, body }));
  } catch (error) {
    // Shopify unreachable: the caller sees a network error, as it would.
    controller.errorWith(error as Error);
  }
});
// @shopify/shopify-api keeps the fetch it saw when its node adapter loaded.
setAbstractFetchFunc(globalThis.fetch);

// @shopify/shopify-api configured like the app (its key, secret, API version and host), for tests that
// hold the app or a stand-in to the library's own behaviour. The caller imports the runtime adapter.
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./env";

export const shopifyLibraryLikeTheApp = () =>
  shopifyApi({
    apiKey: TEST_API_KEY,
    apiSecretKey: TEST_API_SECRET,
    apiVersion: ApiVersion.July26,
    hostName: new URL(TEST_APP_URL).host,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });

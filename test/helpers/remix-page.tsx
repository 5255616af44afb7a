// An admin route's page in jsdom: our translations and Polaris (English unless asked) around it, and Remix's hooks answering from test
// data instead of a router. In a test file:
//   const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown, routeError: null as unknown, submit: vi.fn() }));
//   vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));
import "./jsdom-gaps";
import type * as RemixReact from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { createI18n } from "../../app/i18n/i18n";
import type { Locale } from "../../app/i18n/locales";
import { polarisTranslations } from "../../app/i18n/polaris";

export interface RemixTestData {
  loaderData: unknown;
  actionData?: unknown;
  routeError?: unknown;
  /** What useSubmit returns. */
  submit?: (...args: unknown[]) => void;
}

export function remixHooks(original: typeof RemixReact, data: RemixTestData): typeof RemixReact {
  return {
    ...original,
    useLoaderData: (() => data.loaderData) as typeof original.useLoaderData,
    useActionData: (() => data.actionData) as typeof original.useActionData,
    useRouteError: () => data.routeError,
    useNavigation: (() => ({ state: "idle" })) as unknown as typeof original.useNavigation,
    useSubmit: (() => data.submit ?? (() => {})) as unknown as typeof original.useSubmit,
    useRevalidator: (() => ({ revalidate: () => {}, state: "idle" })) as unknown as typeof original.useRevalidator,
    Form: (({ children, method }: { children: ReactNode; method?: string }) => <form method={method}>{children}</form>) as unknown as typeof original.Form,
    Link: (({ to, children }: { to: string; children: ReactNode }) => <a href={to}>{children}</a>) as unknown as typeof original.Link,
  };
}

const failOnMissingKey = (namespace: string, key: string) => {
  throw new Error(`Missing translation: ${namespace}:${key} (add it under "${namespace}" in app/i18n/locales/<language>.json)`);
};

/** Renders `node` as the admin would: our translations (English unless `locale` says) inside Polaris. */
export const renderPage = (node: ReactNode, locale: Locale = "en") =>
  render(
    <I18nextProvider i18n={createI18n(locale, { onMissingKey: failOnMissingKey })}>
      <AppProvider i18n={polarisTranslations[locale]}>{node}</AppProvider>
    </I18nextProvider>,
  );

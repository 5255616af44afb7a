// An admin route's page in jsdom: Polaris (English) around it, and Remix's hooks answering from test
// data instead of a router. In a test file:
//   const remix = vi.hoisted(() => ({ loaderData: null as unknown, actionData: undefined as unknown, routeError: null as unknown, submit: vi.fn() }));
//   vi.mock("@remix-run/react", async (original) => remixHooks(await original(), remix));
import "./jsdom-gaps";
import type * as RemixReact from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";

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

export const renderPage = (node: ReactNode) => render(<AppProvider i18n={en}>{node}</AppProvider>);

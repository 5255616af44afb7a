import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { loader as adminLoader } from "./routes/app";

export default function App() {
  // The admin's pages are in the staff member's language (routes/app.tsx); the login page is English.
  const locale = useRouteLoaderData<typeof adminLoader>("routes/app")?.locale ?? "en";
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

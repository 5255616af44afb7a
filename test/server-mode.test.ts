// server.ts serves the production build unless development is asked for: started with no NODE_ENV at
// all, it must not run the Vite dev server, which would serve source files and node_modules.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEnv, buildAppIfNeeded, freePort, migrateSqlite, startAppServer, type AppServer } from "./helpers/app-server";

let app: AppServer;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-server-mode-"));
  buildAppIfNeeded();
  const { NODE_ENV: _unset, ...env } = appEnv(migrateSqlite(path.join(dir, "app.sqlite")), { WORKER_IN_PROCESS: "false" });
  // The child inherits this process's environment, where Vitest set NODE_ENV=test: take it out.
  const inherited = process.env.NODE_ENV;
  Reflect.deleteProperty(process.env, "NODE_ENV");
  try {
    app = await startAppServer(await freePort(), env, { onStderr: () => {} });
  } finally {
    process.env.NODE_ENV = inherited;
  }
}, 120_000);

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("server.ts without NODE_ENV", () => {
  it("serves the production build, not Vite's dev server", async () => {
    for (const pathname of ["/@vite/client", "/server.ts", "/app/env.server.ts", "/node_modules/react/package.json", "/package.json"]) {
      const response = await fetch(`${app.url}${pathname}`);
      expect(response.status, pathname).toBe(404);
      expect(await response.text(), pathname).not.toMatch(/ENCRYPTION_KEY|import\.meta\.hot|"dependencies"/);
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

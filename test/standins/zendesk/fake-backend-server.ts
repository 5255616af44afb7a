// The sidebar's contract fake (zendesk-app/src/testing/fake-backend.ts) behind node:http, checking the
// proxy's HS256 token with jose the way the real /api/zendesk routes must. For the stand-in's own tests
// and browser checks; the real app takes its place in end-to-end tests.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import type { PaymentTimeline } from "../../../app/zendesk/contract";
import { createFakeBackend, type FakeBackend } from "../../../zendesk-app/src/testing/fake-backend";

export interface ContractBackend {
  url: string;
  backend: FakeBackend;
  /** Verified claims of every request, in order. */
  claims: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startContractBackend(options: { secret: string; timelines: PaymentTimeline[] }): Promise<ContractBackend> {
  const backend = createFakeBackend(options.timelines);
  const claims: Array<Record<string, unknown>> = [];
  const key = new TextEncoder().encode(options.secret);
  const server = http.createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    try {
      const verified = await jwtVerify(token ?? "", key, { algorithms: ["HS256"] });
      claims.push(verified.payload);
    } catch {
      return reply(401, { error: { code: "unauthorized", message: "Invalid or expired token." } });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const answer = backend.handle({ method: req.method ?? "GET", path: new URL(req.url ?? "/", "http://x").pathname, body: raw ? JSON.parse(raw) : undefined });
    reply(answer.status, answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backend,
    claims,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

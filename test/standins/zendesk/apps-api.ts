// Zendesk's Apps API as a private app's installation uses it
// (developer.zendesk.com: "Creating and managing private apps with the Zendesk API"):
//   POST /api/v2/apps/uploads.json            multipart `uploaded_data` (the zip) → { id }
//   POST /api/v2/apps.json                    { name, short_description, upload_id } → 202 { job_id }
//   PUT  /api/v2/apps/{app_id}.json           { upload_id } → 202 { job_id } (a new version)
//   GET  /api/v2/apps/job_statuses/{id}.json  queued, then completed with app_id (or failed with a message)
//   POST /api/v2/apps/installations.json      { app_id, settings } → the installation
//   PUT  /api/v2/apps/installations/{id}.json { settings } → the installation
//   GET  /api/v2/apps/installations.json, DELETE /api/v2/apps/installations/{id}.json
// An uploaded package is checked against Zendesk's published rules (zendesk-app/scripts/rules.ts);
// a package that breaks them fails its build job with the rules' words, as Zendesk's does.
// Secure settings are kept but never answered. Requests reach here already admitted by server.ts.
import type http from "node:http";
import { unzipSync } from "fflate";
import { z } from "zod";
import { checkPackageRules } from "../../../zendesk-app/scripts/rules";

type Send = (res: http.ServerResponse, status: number, body: unknown) => void;

/** Zendesk's limit on a private app's zip. */
const MAX_PACKAGE_BYTES = 2 * 1024 * 1024;

interface Upload {
  id: number;
  files: Record<string, Uint8Array> | null;
  problem: string | null;
}

export interface StandInApp {
  id: number;
  name: string;
  /** The files of the package it was last built from. */
  files: Record<string, Uint8Array>;
  builds: number;
}

export interface StandInInstallation {
  id: number;
  appId: number;
  /** Every setting, secure ones included (those are never answered). */
  settings: Record<string, unknown>;
  enabled: boolean;
  updatedAt: string;
}

interface Job {
  id: string;
  polls: number;
  result: { appId: number } | { message: string };
}

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);
const createAppSchema = z.object({ name: z.string().min(1), short_description: z.string().optional(), upload_id: id });
const updateAppSchema = z.object({ upload_id: id });
const installSchema = z.object({ app_id: id, settings: z.record(z.unknown()).default({}) });
const settingsSchema = z.object({ settings: z.record(z.unknown()) });

export class AppsApi {
  readonly apps = new Map<number, StandInApp>();
  readonly installations = new Map<number, StandInInstallation>();
  private readonly uploads = new Map<number, Upload>();
  private readonly jobs = new Map<string, Job>();
  private nextId = 101;

  constructor(
    private readonly send: Send,
    private readonly clock: () => Date,
  ) {}

  /** The settings an installation's app declares secure (never answered). */
  private secureNames(appId: number): Set<string> {
    const manifest = this.apps.get(appId)?.files["manifest.json"];
    const parameters = manifest ? (JSON.parse(new TextDecoder().decode(manifest)).parameters as Array<{ name: string; secure?: boolean }>) : [];
    return new Set(parameters.filter((p) => p.secure).map((p) => p.name));
  }

  private installationJson(installation: StandInInstallation) {
    const secure = this.secureNames(installation.appId);
    return {
      id: installation.id,
      app_id: installation.appId,
      product: "support",
      enabled: installation.enabled,
      settings: Object.fromEntries(Object.entries(installation.settings).filter(([name]) => !secure.has(name))),
      updated_at: installation.updatedAt,
    };
  }

  private build(uploadId: number, appId: number | null, name: string): Job {
    const upload = this.uploads.get(uploadId);
    const job: Job = { id: `job-${this.nextId++}`, polls: 0, result: { message: "Upload not found" } };
    if (upload?.files && !upload.problem) {
      const app = appId ? this.apps.get(appId)! : { id: this.nextId++, name, files: {}, builds: 0 };
      app.files = upload.files;
      app.builds += 1;
      this.apps.set(app.id, app);
      job.result = { appId: app.id };
    } else if (upload) job.result = { message: upload.problem ?? "The package could not be read" };
    this.jobs.set(job.id, job);
    return job;
  }

  private async upload(req: http.IncomingMessage, res: http.ServerResponse, body: () => Promise<Buffer>) {
    const form = await new Request("http://standin/upload", {
      method: "POST",
      headers: req.headers as Record<string, string>,
      body: new Uint8Array(await body()),
    })
      .formData()
      .catch(() => null);
    const file = form?.get("uploaded_data");
    if (!(file instanceof Blob)) return this.send(res, 400, { error: "InvalidValue", description: "uploaded_data must be a file" });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const upload: Upload = { id: this.nextId++, files: null, problem: null };
    if (bytes.length > MAX_PACKAGE_BYTES) upload.problem = "The app package is larger than 2 MB";
    else {
      try {
        upload.files = unzipSync(bytes);
        // Hosts are checked when a request goes through the proxy (proxy.ts), not at upload.
        const problems = checkPackageRules(upload.files, []);
        if (problems.length) upload.problem = problems.join("; ");
      } catch {
        upload.problem = "The app package is not a zip file";
      }
    }
    this.uploads.set(upload.id, upload);
    this.send(res, 201, { id: upload.id });
  }

  /** Answers the endpoints above; false when the request is not one of them. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: () => Promise<Buffer>): Promise<boolean> {
    const method = req.method ?? "GET";
    const path = url.pathname;
    const answer = (status: number, answered: unknown) => {
      this.send(res, status, answered);
      return true;
    };
    const notFound = () => answer(404, { error: "RecordNotFound", description: "Not found" });
    const read = async <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>) => schema.safeParse(JSON.parse((await body()).toString("utf8") || "null"));
    const invalid = (error: z.ZodError) =>
      answer(400, { error: "InvalidValue", description: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    let m: RegExpExecArray | null;

    if (path === "/api/v2/apps/uploads.json" && method === "POST") {
      await this.upload(req, res, body);
      return true;
    }
    if (path === "/api/v2/apps.json" && method === "POST") {
      const parsed = await read(createAppSchema);
      return parsed.success ? answer(202, { job_id: this.build(parsed.data.upload_id, null, parsed.data.name).id }) : invalid(parsed.error);
    }
    if ((m = /^\/api\/v2\/apps\/(\d+)\.json$/.exec(path)) && method === "PUT") {
      const app = this.apps.get(Number(m[1]));
      if (!app) return notFound();
      const parsed = await read(updateAppSchema);
      return parsed.success ? answer(202, { job_id: this.build(parsed.data.upload_id, app.id, app.name).id }) : invalid(parsed.error);
    }
    if ((m = /^\/api\/v2\/apps\/job_statuses\/([\w-]+)\.json$/.exec(path)) && method === "GET") {
      const job = this.jobs.get(m[1]);
      if (!job) return notFound();
      // Queued on the first look, like a build that takes a moment.
      if (job.polls++ === 0) return answer(200, { id: job.id, status: "queued" });
      return answer(
        200,
        "appId" in job.result
          ? { id: job.id, status: "completed", app_id: job.result.appId, message: "Completed" }
          : { id: job.id, status: "failed", message: job.result.message },
      );
    }
    if (path === "/api/v2/apps/installations.json" && method === "GET") {
      return answer(200, { installations: [...this.installations.values()].map((i) => this.installationJson(i)) });
    }
    if (path === "/api/v2/apps/installations.json" && method === "POST") {
      const parsed = await read(installSchema);
      if (!parsed.success) return invalid(parsed.error);
      if (!this.apps.has(parsed.data.app_id)) return answer(404, { error: "RecordNotFound", description: "App not found" });
      const installation = {
        id: this.nextId++,
        appId: parsed.data.app_id,
        settings: parsed.data.settings,
        enabled: true,
        updatedAt: this.clock().toISOString(),
      };
      this.installations.set(installation.id, installation);
      return answer(201, this.installationJson(installation));
    }
    if ((m = /^\/api\/v2\/apps\/installations\/(\d+)\.json$/.exec(path)) && (method === "PUT" || method === "DELETE")) {
      const installation = this.installations.get(Number(m[1]));
      if (!installation) return notFound();
      if (method === "DELETE") {
        this.installations.delete(installation.id);
        res.writeHead(204).end();
        return true;
      }
      const parsed = await read(settingsSchema);
      if (!parsed.success) return invalid(parsed.error);
      installation.settings = { ...installation.settings, ...parsed.data.settings };
      installation.updatedAt = this.clock().toISOString();
      return answer(200, this.installationJson(installation));
    }
    return false;
  }
}

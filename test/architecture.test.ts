// The module layout the code relies on: no import cycles among the app's modules, and the queue
// (app/queue) imports no feature, so any feature can use it and the registry (app/events/registry.server.ts)
// is the one place that knows them all. Type-only imports are erased at build time and do not count.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(__dirname, "../app");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".") && !specifier.startsWith("~/")) return null;
  const base = specifier.startsWith("~/") ? path.join(APP, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  return ["", ".ts", ".tsx", "/index.ts"].map((ext) => base + ext).find((file) => fs.existsSync(file) && fs.statSync(file).isFile()) ?? null;
}

/** Module → the app modules it imports at run time (static and dynamic imports, re-exports). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(APP)) {
    const text = fs.readFileSync(file, "utf8");
    const specifiers = [
      ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)].map((m) => m[1]),
      ...[...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
    ];
    graph.set(file, [...new Set(specifiers.map((s) => resolveImport(file, s)).filter((f): f is string => f !== null))]);
  }
  return graph;
}

/** Strongly connected groups of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(path.relative(APP, w));
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("module layout", () => {
  const graph = importGraph();

  it("finds the modules and their imports (the check below has something to check)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.join(APP, "events/registry.server.ts"))).toContain(path.join(APP, "queue/worker.server.ts"));
  });

  it("has no import cycles", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("keeps the queue free of features: it imports only the database, configuration, logging and lib", () => {
    const allowed = ["db.server.ts", "env.server.ts", "log.server.ts", "lib/"].map((p) => path.join(APP, p));
    const queue = [...graph.entries()].filter(([file]) => file.startsWith(path.join(APP, "queue") + path.sep));
    expect(queue.length).toBeGreaterThanOrEqual(3);
    const outside = queue.flatMap(([file, deps]) =>
      deps
        .filter((dep) => !dep.startsWith(path.join(APP, "queue") + path.sep) && !allowed.some((a) => dep === a || (a.endsWith("/") && dep.startsWith(a))))
        .map((dep) => `${path.relative(APP, file)} → ${path.relative(APP, dep)}`),
    );
    expect(outside).toEqual([]);
  });
});

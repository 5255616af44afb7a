// Runs before every test file: test configuration, and each file gets its own fresh SQLite database.
import { afterAll, beforeAll } from "vitest";
import { setDb } from "../../app/db.server";
import { resetEnvForTests } from "../../app/env.server";
import { testEnv } from "./env";
import { createTestDb, type TestDb } from "./db";

Object.assign(process.env, testEnv);
resetEnvForTests();

let testDb: TestDb | undefined;

beforeAll(async () => {
  if (process.env.VITEST_ENVIRONMENT === "jsdom" || typeof window !== "undefined") return;
  testDb = await createTestDb();
  setDb(testDb.client);
});

afterAll(async () => {
  setDb(undefined);
  await testDb?.dispose();
});

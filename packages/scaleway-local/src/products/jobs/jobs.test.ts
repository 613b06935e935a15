import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, Jobs } from "@scaleway/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScaleway, type LocalScaleway } from "../../server";
import { restClient, waitFor } from "../containers/test-client";

const V2 = "/serverless-jobs/v1alpha2/regions/fr-par";
const SECRET_ID = "0331001e-111d-46ea-8277-d107b83b0800";

describe("Serverless Jobs v1alpha2, as the provider calls it", () => {
  let local: LocalScaleway;
  let call: ReturnType<typeof restClient>;

  beforeAll(async () => {
    local = await startLocalScaleway({ transitionMs: 50 });
    call = restClient(local);
  });
  afterAll(async () => {
    await local.stop();
  });

  const define = async (extra: Record<string, unknown> = {}) => {
    const created = await call("POST", `${V2}/job-definitions`, {
      name: "test-jobs-job-definition-basic",
      cpu_limit: 120,
      memory_limit: 256,
      local_storage_capacity: 5120,
      image_uri: "docker.io/alpine:latest",
      command: "",
      startup_command: [],
      args: [],
      project_id: local.defaultProjectId,
      environment_variables: {},
      description: "",
      ...extra,
    });
    expect(created.status).toBe(200);
    return created.body;
  };

  it("creates, reads, updates and deletes a job definition with its cron schedule", async () => {
    const definition = await define({
      startup_command: ["mysql"],
      args: ["--version"],
      job_timeout: "1200.000000000s",
      cron_schedule: { schedule: "5 4 1 * *", timezone: "Europe/Paris" },
    });
    expect(definition).toMatchObject({
      job_timeout: "1200s",
      startup_command: ["mysql"],
      args: ["--version"],
      cron_schedule: { schedule: "5 4 1 * *", timezone: "Europe/Paris" },
      region: "fr-par",
    });
    const read = await call("GET", `${V2}/job-definitions/${definition.id}`);
    expect(read.body).toEqual(definition);

    const updated = await call("PATCH", `${V2}/job-definitions/${definition.id}`, {
      name: "renamed",
      cpu_limit: 240,
      startup_command: [],
      args: ["new", "args"],
      cron_schedule: { schedule: "5 5 * * *", timezone: "America/Jamaica" },
    });
    expect(updated.body).toMatchObject({
      name: "renamed",
      cpu_limit: 240,
      startup_command: [],
      args: ["new", "args"],
      cron_schedule: { schedule: "5 5 * * *", timezone: "America/Jamaica" },
    });
    const unscheduled = await call("PATCH", `${V2}/job-definitions/${definition.id}`, {
      cron_schedule: { schedule: null, timezone: null },
    });
    expect(unscheduled.body.cron_schedule).toBeNull();
    const badZone = await call("PATCH", `${V2}/job-definitions/${definition.id}`, {
      cron_schedule: { schedule: "5 5 * * *", timezone: "Mars/Olympus" },
    });
    expect(badZone.status).toBe(400);

    expect((await call("DELETE", `${V2}/job-definitions/${definition.id}`)).status).toBe(204);
    const again = await call("DELETE", `${V2}/job-definitions/${definition.id}`);
    expect(again).toEqual({ status: 404, body: { message: "job definition is not found" } });
  });

  it("fills the API's defaults and requires image and resources", async () => {
    const minimal = await call("POST", `${V2}/job-definitions`, {
      name: "minimal",
      cpu_limit: 70,
      memory_limit: 128,
      image_uri: "alpine",
      project_id: local.defaultProjectId,
    });
    expect(minimal.body).toMatchObject({
      job_timeout: "86400s",
      command: "",
      startup_command: [],
      args: [],
      environment_variables: {},
      cron_schedule: null,
    });
    const missing = await call("POST", `${V2}/job-definitions`, { name: "x", project_id: local.defaultProjectId });
    expect(missing.status).toBe(400);
    expect(missing.body.type).toBe("invalid_arguments");
  });

  it("references Secret Manager secrets as files or environment variables", async () => {
    const definition = await define();
    const created = await call("POST", `${V2}/secrets`, {
      job_definition_id: definition.id,
      secrets: [
        { secret_manager_id: SECRET_ID, secret_manager_version: "latest", env_var_name: "SOME_ENV" },
        { secret_manager_id: SECRET_ID, secret_manager_version: "1", path: "/home/dev/env" },
      ],
    });
    expect(created.body.secrets).toEqual([
      expect.objectContaining({ env_var: { name: "SOME_ENV" }, job_definition_id: definition.id }),
      expect.objectContaining({ file: { path: "/home/dev/env" }, secret_manager_version: "1" }),
    ]);
    const listed = await call("GET", `${V2}/secrets?job_definition_id=${definition.id}`);
    expect(listed.body.total_count).toBe(2);
    const both = await call("POST", `${V2}/secrets`, {
      job_definition_id: definition.id,
      secrets: [{ secret_manager_id: SECRET_ID, path: "/a", env_var_name: "A" }],
    });
    expect(both.status).toBe(400);
    expect((await call("DELETE", `${V2}/secrets/${created.body.secrets[0].secret_id}`)).status).toBe(204);
    expect((await call("GET", `${V2}/secrets?job_definition_id=${definition.id}`)).body.total_count).toBe(1);
  });

  it("runs a job through its states, refuses to delete a running definition, and stops runs", async () => {
    const definition = await define({ startup_command: ["echo", "-e"], args: ["Hello World"] });
    const started = await call("POST", `${V2}/job-definitions/${definition.id}/start`, {});
    const [run] = started.body.job_runs;
    expect(run).toMatchObject({ state: "validated", startup_command: ["echo", "-e"], started_at: null });

    const refused = await call("DELETE", `${V2}/job-definitions/${definition.id}`);
    expect(refused).toEqual({ status: 403, body: { message: "one or more job runs are still running" } });

    const done = await waitFor(
      () => call("GET", `${V2}/job-runs/${run.id}`),
      (answer) => answer.body.state === "succeeded",
    );
    expect(done.body).toMatchObject({ exit_code: 0, run_duration: expect.stringMatching(/s$/) });
    expect(Date.parse(done.body.terminated_at)).toBeGreaterThan(Date.parse(done.body.started_at));

    const second = (await call("POST", `${V2}/job-definitions/${definition.id}/start`, { replicas: 2 })).body.job_runs;
    expect(second).toHaveLength(2);
    const stopped = await call("POST", `${V2}/job-runs/${second[0].id}/stop`, {});
    expect(stopped.body).toMatchObject({ state: "interrupting", reason: "cancellation" });
    await waitFor(
      () => call("GET", `${V2}/job-runs/${second[0].id}`),
      (answer) => answer.body.state === "interrupted",
    );
    const runs = await call(
      "GET",
      `${V2}/job-runs?job_definition_id=${definition.id}&order_by=created_at_asc&state=unknown_state`,
    );
    expect(runs.body.total_count).toBe(3);
    const interrupted = await call("GET", `${V2}/job-runs?job_definition_id=${definition.id}&state=interrupted`);
    expect(interrupted.body.total_count).toBe(1);

    await waitFor(
      () => call("DELETE", `${V2}/job-definitions/${definition.id}`),
      (answer) => answer.status === 204,
    );
    expect((await call("GET", `${V2}/job-runs?job_definition_id=${definition.id}`)).body.total_count).toBe(0);
  });

  it("paginates job definitions", async () => {
    const project = (await call("POST", "/account/v3/projects", { name: "jobs-pages" })).body.id;
    for (const name of ["a", "b", "c"]) await define({ name, project_id: project });
    const page = await call("GET", `${V2}/job-definitions?project_id=${project}&page_size=2&page=2`);
    expect(page.body.total_count).toBe(3);
    expect(page.body.job_definitions.map((d: { name: string }) => d.name)).toEqual(["c"]);
  });

  it("keeps cron triggers of a definition", async () => {
    const definition = await define();
    const trigger = await call("POST", `${V2}/triggers`, {
      job_definition_id: definition.id,
      name: "nightly",
      cron_config: { schedule: "0 3 * * *", timezone: "Europe/Paris", startup_command: ["backup"], args: [] },
    });
    expect(trigger.body).toMatchObject({ name: "nightly", cron_config: { startup_command: ["backup"] } });
    const updated = await call("PATCH", `${V2}/triggers/${trigger.body.id}`, {
      cron_config: { schedule: "0 4 * * *" },
    });
    expect(updated.body.cron_config).toMatchObject({ schedule: "0 4 * * *", timezone: "Europe/Paris" });
    expect((await call("GET", `${V2}/triggers?job_definition_id=${definition.id}`)).body.total_count).toBe(1);
    await call("DELETE", `${V2}/job-definitions/${definition.id}`);
    expect((await call("GET", `${V2}/triggers/${trigger.body.id}`)).status).toBe(404);
  });
});

describe("Serverless Jobs v1alpha1 with @scaleway/sdk", () => {
  it("creates a definition, starts it until it succeeds, and keeps it across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "jobs-state-"));
    try {
      let local = await startLocalScaleway({ transitionMs: 50, dataDir });
      const client = (server: LocalScaleway) =>
        new Jobs.v1alpha1.API(
          createClient({
            apiURL: server.apiUrl,
            accessKey: server.env().SCW_ACCESS_KEY,
            secretKey: server.env().SCW_SECRET_KEY,
            defaultProjectId: server.defaultProjectId,
            defaultRegion: "fr-par",
          }),
        );
      let api = client(local);
      const definition = await api.createJobDefinition({
        name: "sdk-job",
        cpuLimit: 140,
        memoryLimit: 256,
        imageUri: "docker.io/alpine:latest",
        command: "echo hello",
        environmentVariables: { GREETING: "hello" },
        description: "from the SDK",
        jobTimeout: "600s",
      });
      expect(definition).toMatchObject({ name: "sdk-job", command: "echo hello", jobTimeout: "600s" });
      const updated = await api.updateJobDefinition({ jobDefinitionId: definition.id, memoryLimit: 512 });
      expect(updated.memoryLimit).toBe(512);
      expect((await api.listJobDefinitions()).totalCount).toBe(1);

      const { jobRuns } = await api.startJobDefinition({
        jobDefinitionId: definition.id,
        environmentVariables: { EXTRA: "1" },
      });
      expect(jobRuns[0]).toMatchObject({ state: "queued", environmentVariables: { GREETING: "hello", EXTRA: "1" } });
      const run = await waitFor(
        () => api.getJobRun({ jobRunId: jobRuns[0]!.id }),
        (answer) => answer.state === "succeeded",
      );
      expect(run.exitCode).toBe(0);

      const secrets = await api.createJobDefinitionSecrets({
        jobDefinitionId: definition.id,
        secrets: [{ secretManagerId: SECRET_ID, secretManagerVersion: "latest", envVarName: "DB_PASSWORD" }],
      });
      expect(secrets.secrets[0]).toMatchObject({ envVar: { name: "DB_PASSWORD" } });
      await local.stop();

      local = await startLocalScaleway({ transitionMs: 50, dataDir });
      api = client(local);
      try {
        expect((await api.getJobDefinition({ jobDefinitionId: definition.id })).memoryLimit).toBe(512);
        expect((await api.listJobDefinitionSecrets({ jobDefinitionId: definition.id })).totalCount).toBe(1);
        expect((await api.getJobRun({ jobRunId: run.id })).state).toBe("succeeded");
        await api.deleteJobDefinition({ jobDefinitionId: definition.id });
        await expect(api.getJobDefinition({ jobDefinitionId: definition.id })).rejects.toThrow(/not found/i);
      } finally {
        await local.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import { AppStack } from "./appStack";
import { parseStackConfig } from "./config/validate";
import { planProgram } from "./plan";
import { ofType, single } from "./testSupport";

const PROJECT = "11111111-1111-4111-8111-111111111111";

/** A stack with a service that uses the database and one that does not. */
const plan = (database: Record<string, unknown>) => {
  const config = parseStackConfig({
    environment: "dev",
    namePrefix: "shop",
    owner: "platform-team",
    costCenter: "shop",
    services: {
      api: { image: "rg.fr-par.scw.cloud/shop/api:1.0.0", database: true },
      ui: { image: "rg.fr-par.scw.cloud/shop/ui:1.0.0" },
    },
    database,
  });
  return planProgram((opts) => new AppStack("shop-dev", { config, projectId: PROJECT }, opts), {
    project: "shop",
    stack: "dev",
  });
};

describe("AppStack database password rotation", () => {
  it("hands the database user's password, from its current Secret Manager version, to the services using it", async () => {
    for (const passwordRotation of [0, 1]) {
      const { resources } = await plan({ passwordRotation });
      const version = resources.find(
        (r) =>
          r.type === "scaleway:secrets/version:Version" &&
          r.name === `shop-dev-db-passwords-shop-dev-db-password-v${passwordRotation}`,
      )!;
      const password = version.inputs.data;
      expect(single(resources, "scaleway:databases/user:User").inputs.password).toBe(password);
      const containers = ofType(resources, "scaleway:containers/container:Container");
      const api = containers.find((c) => c.inputs.name === "shop-dev-api")!;
      expect(api.inputs.secretEnvironmentVariables).toMatchObject({ DATABASE_PASSWORD: password });
      expect(api.secretInputs).toContain("secretEnvironmentVariables");
      const ui = containers.find((c) => c.inputs.name === "shop-dev-ui")!;
      expect(JSON.stringify(ui.inputs)).not.toContain(String(password));
    }
  });

  it("rotates the admin's password without touching what the services get", async () => {
    const { resources } = await plan({ adminPasswordRotation: 1 });
    const versions = ofType(resources, "scaleway:secrets/version:Version").filter((v) => v.name.includes("-db-"));
    expect(versions.map((v) => v.name).sort()).toEqual([
      "shop-dev-db-passwords-shop-dev-db-admin-password-v1",
      "shop-dev-db-passwords-shop-dev-db-password-v0",
    ]);
    const admin = versions.find((v) => v.name.endsWith("admin-password-v1"))!;
    expect(single(resources, "scaleway:databases/instance:Instance").inputs.password).toBe(admin.inputs.data);
    const api = ofType(resources, "scaleway:containers/container:Container").find(
      (c) => c.inputs.name === "shop-dev-api",
    )!;
    expect(JSON.stringify(api.inputs)).not.toContain(String(admin.inputs.data));
  });
});

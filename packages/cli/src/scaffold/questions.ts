import { ENVIRONMENTS, REGIONS, stackConfigSchema } from "@sovstack/components";
import { resolveChoices, type ScaffoldRequest } from "./choices";
import type { Prompter } from "./prompter";
import { isSize, isTier, SIZE_NAMES, SIZES, sizeForTier } from "./sources";

/**
 * Asks for each value of the new stack file, flags and presets giving the defaults.
 * Answers are checked with the stack schema's own rules as they come.
 */
export async function askScaffoldQuestions(request: ScaffoldRequest, prompter: Prompter): Promise<ScaffoldRequest> {
  const first = resolveChoices(request);
  const tier = await prompter.ask(
    `Tier (${ENVIRONMENTS.join(", ")}): how strict the policy pack is`,
    first.tier,
    (answer) => (isTier(answer) ? undefined : `"${answer}" is not a tier: answer one of ${ENVIRONMENTS.join(", ")}.`),
  );
  let size: string | undefined;
  if (!request.from) {
    const sizes = SIZE_NAMES.map((name) => `${name}: ${SIZES[name].summary}`).join("; ");
    size = await prompter.ask(`Size (${sizes})`, request.size ?? sizeForTier(isTier(tier) ? tier : "dev"), (answer) =>
      isSize(answer) ? undefined : `"${answer}" is not a size: answer one of ${SIZE_NAMES.join(", ")}.`,
    );
  }
  const defaults = resolveChoices({ ...request, tier, size });
  const shape = stackConfigSchema.shape;
  const region = await prompter.ask(
    `Scaleway region (${REGIONS.join(", ")})`,
    defaults.region,
    schemaCheck(shape.region),
  );
  const projectId = await prompter.ask(
    "Scaleway project ID (empty: SCW_DEFAULT_PROJECT_ID when deploying)",
    defaults.projectId ?? "",
    (answer) => (answer ? schemaCheck(shape.projectId)(answer) : undefined),
  );
  const owner = await prompter.ask("Owner (team, for the owner tag)", defaults.owner, schemaCheck(shape.owner));
  const costCenter = await prompter.ask(
    "Cost center (for the cost-center tag)",
    defaults.costCenter,
    schemaCheck(shape.costCenter),
  );
  const namePrefix = await prompter.ask(
    "Name prefix of every resource",
    defaults.namePrefix,
    schemaCheck(shape.namePrefix),
  );
  return { ...request, tier, size, region, projectId: projectId || undefined, owner, costCenter, namePrefix };
}

interface Parser {
  safeParse(value: unknown): { success: boolean; error?: { issues: ReadonlyArray<{ message: string }> } };
}

function schemaCheck(schema: Parser): (answer: string) => string | undefined {
  return (answer) => {
    const result = schema.safeParse(answer);
    return result.success ? undefined : `"${answer}" is not valid: ${result.error?.issues[0]?.message ?? "rejected"}`;
  };
}

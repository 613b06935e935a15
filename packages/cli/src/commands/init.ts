import { Option, type Command } from "commander";
// The lists from their own module: the package's index loads Pulumi and zod, which help does not need.
import { ENVIRONMENTS, REGIONS } from "../../../components/src/config/limits";
import { infraDir } from "../paths";
import { SIZE_NAMES } from "../scaffold/sizes";

interface InitFlags {
  readonly dir?: string;
  readonly projectId?: string;
  readonly region?: string;
  readonly owner?: string;
  readonly costCenter?: string;
  readonly size?: string;
  readonly tier?: string;
  readonly namePrefix?: string;
  readonly from?: string;
  readonly interactive?: boolean;
  readonly force?: boolean;
}

/** `sovstack init <env>`: a new Pulumi.<env>.yaml that passes validation. The action imports what it runs. */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("scaffold the stack file Pulumi.<env>.yaml of a new environment, from flags or questions")
    .argument("<env>", "name of the new environment: lowercase letters, digits and dashes")
    .option("--dir <folder>", "Pulumi project folder (default: infra/)")
    .addOption(new Option("--size <size>", "sizing preset, shaped like dev, staging, production").choices(SIZE_NAMES))
    .option("--from <env>", "copy an existing environment of the project instead of a preset")
    .addOption(
      new Option(
        "--tier <tier>",
        "dev, staging or production: policy strictness (default: <env> if it is a tier)",
      ).choices(ENVIRONMENTS),
    )
    .addOption(new Option("--region <region>", "Scaleway region").choices(REGIONS))
    .option("--project-id <uuid>", "Scaleway project (default: SCW_DEFAULT_PROJECT_ID at deploy time)")
    .option("--owner <team>", "owner tag of every resource")
    .option("--cost-center <name>", "cost-center tag of every resource")
    .option("--name-prefix <prefix>", "prefix of every resource name")
    .option("--interactive", "ask for each value, showing its default")
    .option("--force", "replace an existing stack file")
    .action(async (environment: string, flags: InitFlags) => {
      const { initStack } = await import("../scaffold/initStack");
      const { describeInit } = await import("../scaffold/nextSteps");
      const { streamPrompter } = await import("../scaffold/prompter");
      const prompter = flags.interactive ? streamPrompter(process.stdin, process.stderr) : undefined;
      try {
        const result = await initStack(
          { ...flags, environment, projectDir: flags.dir ?? infraDir },
          { force: flags.force, prompter },
        );
        console.log(describeInit(result));
      } finally {
        prompter?.close();
      }
    });
}

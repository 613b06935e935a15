import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { StackAddress } from "../state/layout";
import { infraDir } from "../paths";

/** The Pulumi project name of a project folder (the `name` of its Pulumi.yaml). */
export function projectNameOf(projectDir: string = infraDir): string {
  const file = join(projectDir, "Pulumi.yaml");
  const name = (parse(readFileSync(file, "utf8")) as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || !name) throw new Error(`${file} has no project name. Fix: add \`name: <project>\`.`);
  return name;
}

export function stackAddress(environment: string, projectDir: string = infraDir): StackAddress {
  return { project: projectNameOf(projectDir), stack: environment };
}

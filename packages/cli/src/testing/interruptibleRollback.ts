/**
 * A rollback for the interrupt tests, run as its own process so that they can signal it:
 * `rollback dev --yes` of a test repository, ended as the `sovstack rollback` command ends it
 * (exit 130 and what to do next when interrupted).
 *
 *   tsx interruptibleRollback.ts <repository> <backend url>
 */
import { endInterrupted } from "../engine/interrupt";
import { progress } from "../output";
import { rollback } from "../rollback/rollback";

const [repoDir, backendUrl] = process.argv.slice(2) as [string, string];
await rollback({
  environment: "dev",
  backendUrl,
  apply: true,
  repoDir,
  projectSubdir: "proj",
  log: progress,
  onOutput: (text) => process.stdout.write(text),
}).catch((error: unknown) => endInterrupted(error, "`sovstack rollback dev --yes` again finishes the rollback."));

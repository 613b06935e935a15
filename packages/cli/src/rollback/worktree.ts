import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Checkout {
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * The repository as it was at `commit`, in a temporary git worktree, with the installed
 * npm packages linked in: third-party packages from the current install (the lock file
 * pins them), the repository's own workspace packages from the worktree, so that the
 * program runs the code of that commit.
 */
export async function checkoutCommit(repoDir: string, commit: string, nodeModules: string): Promise<Checkout> {
  try {
    await run("git", ["cat-file", "-e", `${commit}^{commit}`], { cwd: repoDir });
  } catch {
    throw new Error(
      `commit ${commit} is not in this clone of the repository. Fix: \`git fetch origin ${commit}\` (or a full clone), then run again.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "sovstack-rollback-"));
  await run("git", ["worktree", "add", "--detach", dir, commit], { cwd: repoDir });
  const remove = async () => {
    await run("git", ["worktree", "remove", "--force", dir], { cwd: repoDir }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    linkPackages(dir, nodeModules);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

function linkPackages(dir: string, nodeModules: string): void {
  const workspaces = workspacePackages(dir);
  const target = join(dir, "node_modules");
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    if (entry.name.startsWith("@")) {
      mkdirSync(join(target, entry.name), { recursive: true });
      for (const scoped of readdirSync(join(nodeModules, entry.name))) {
        const name = `${entry.name}/${scoped}`;
        if (!workspaces.has(name)) symlinkSync(join(nodeModules, name), join(target, name));
      }
    } else if (!workspaces.has(entry.name)) symlinkSync(join(nodeModules, entry.name), join(target, entry.name));
  }
  for (const [name, folder] of workspaces) {
    mkdirSync(join(target, name, ".."), { recursive: true });
    symlinkSync(relative(join(target, name, ".."), folder), join(target, name));
  }
}

/** The workspace packages of the checkout: package name → folder. */
function workspacePackages(dir: string): Map<string, string> {
  const packages = new Map<string, string>();
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return packages;
  const { workspaces = [] } = JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: string[] };
  for (const workspace of workspaces) {
    const folder = join(dir, workspace);
    const own = join(folder, "package.json");
    if (!existsSync(own)) continue;
    const { name } = JSON.parse(readFileSync(own, "utf8")) as { name?: string };
    if (name) packages.set(name, folder);
  }
  return packages;
}

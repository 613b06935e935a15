import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Checkout {
  readonly dir: string;
  remove(): Promise<void>;
  /** The same, synchronously: for a process about to exit at once. */
  removeNow(): void;
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
  const remove = async () => {
    await run("git", ["worktree", "remove", "--force", dir], { cwd: repoDir }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  const removeNow = () => {
    try {
      execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: repoDir, stdio: "ignore", timeout: 5000 });
    } catch {
      // Not a worktree yet, or git failed: the folder goes below; git drops its record at its next `worktree prune`.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A Ctrl-C also stops this git (same process group): what it began is removed.
    await run("git", ["worktree", "add", "--detach", dir, commit], { cwd: repoDir });
    linkPackages(dir, nodeModules);
  } catch (error) {
    await remove();
    // An add stopped half-way leaves git's record of the worktree without its folder.
    await run("git", ["worktree", "prune"], { cwd: repoDir }).catch(() => undefined);
    throw error;
  }
  return { dir, remove, removeNow };
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

/**
 * The documentation stays true to the repository: every relative link of README.md and
 * docs/ reaches a file and every #anchor a heading of its page (GitHub's heading slugs),
 * and every `sovstack <command> --option` a ```sh block shows is a command and an option
 * the CLI has. Each check is also run on a small broken page, to show that it fails.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
/** Folders this test writes (the CLI hook, the broken pages), removed at the end. */
const scratch: string[] = [];
const scratchDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  scratch.push(dir);
  return dir;
};
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** README.md and every page under docs/, as paths relative to `dir`. */
function documentationPages(dir: string): string[] {
  const pages = existsSync(join(dir, "README.md")) ? ["README.md"] : [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(dir, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md")) pages.push(path);
    }
  };
  if (existsSync(join(dir, "docs"))) walk("docs");
  return pages.sort();
}

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w-]*)/;

/** The page's lines with fenced code blanked (line numbers kept): no link or heading is read from code. */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const match = FENCE.exec(line);
    if (match && (!fence || match[1]!.startsWith(fence))) {
      fence = fence ? undefined : match[1]!;
      return "";
    }
    return fence ? "" : line;
  });
}

/** The fenced blocks of the given languages, each line with its line number in the page. */
function codeBlocks(text: string, languages: readonly string[]): Array<Array<{ line: number; text: string }>> {
  const blocks: Array<Array<{ line: number; text: string }>> = [];
  let fence: string | undefined;
  let current: Array<{ line: number; text: string }> | undefined;
  text.split("\n").forEach((line, index) => {
    const match = FENCE.exec(line);
    if (match && (!fence || match[1]!.startsWith(fence))) {
      if (fence) {
        if (current) blocks.push(current);
        fence = undefined;
        current = undefined;
      } else {
        fence = match[1]!;
        current = languages.includes(match[2]!) ? [] : undefined;
      }
      return;
    }
    current?.push({ line: index + 1, text: line });
  });
  return blocks;
}

/**
 * The anchor GitHub gives a heading: its text as rendered (code marks and link targets
 * dropped), lower case, punctuation removed except hyphens and underscores, each space a
 * hyphen. A repeated heading gets -1, -2... (see anchorsOf).
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
}

/** Every anchor of a page: its headings' slugs, numbered as GitHub numbers repeated ones. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Links of a page outside code: `[text](target)`, inline code in the text allowed. */
function linksOf(text: string): Array<{ line: number; target: string }> {
  const links: Array<{ line: number; target: string }> = [];
  proseLines(text).forEach((line, index) => {
    const withoutCodeSpans = line.replace(/`[^`]*`/g, (span) => (span.includes("](") ? span : "code"));
    for (const match of withoutCodeSpans.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ line: index + 1, target: match[1]! });
  });
  return links;
}

/** What is wrong with the relative links and anchors of `pages` (paths relative to `dir`). */
export function linkProblems(dir: string, pages: readonly string[]): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(readFileSync(path, "utf8")));
    return anchorCache.get(path)!;
  };
  for (const page of pages) {
    const pagePath = join(dir, page);
    for (const { line, target } of linksOf(readFileSync(pagePath, "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not checked offline
      const at = `${page}:${line}: link ${target}`;
      if (target.startsWith("/")) {
        problems.push(`${at}: starts with /. Fix: a path relative to ${page}.`);
        continue;
      }
      const [path = "", anchor] = target.split("#", 2);
      const file = path ? resolve(dirname(pagePath), decodeURIComponent(path)) : pagePath;
      const shown = relative(dir, file);
      if (!existsSync(file)) {
        problems.push(`${at}: ${shown} does not exist.`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!file.endsWith(".md")) problems.push(`${at}: ${shown} is not a Markdown page, so it has no #${anchor}.`);
      else if (!anchors(file).has(anchor))
        problems.push(
          `${at}: ${shown} has no heading whose anchor is #${anchor}. Its anchors: ${[...anchors(file)].join(", ")}.`,
        );
    }
  }
  return problems;
}

/** A command of the CLI as commander holds it. */
export interface CommandTree {
  readonly name: string;
  readonly options: readonly string[];
  readonly commands: readonly CommandTree[];
}

const SEPARATOR = /^(\||\|\||&&|&|;|\d?>>?.*|<<.*)$/;

/** The words of a shell line, without its comment (a # outside quotes, at a word's start). */
function shellWords(line: string): string[] {
  let quote: string | undefined;
  let end = line.length;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (index === 0 || /\s/.test(line[index - 1]!))) {
      end = index;
      break;
    }
  }
  return line.slice(0, end).split(/\s+/).filter(Boolean);
}

/** Whether `words[index]` starts a sovstack invocation: after npx, `npm run`, a separator or a variable. */
function startsInvocation(words: readonly string[], index: number): boolean {
  if (!/^(?:["'(]|\$\()*sovstack$/.test(words[index]!)) return false;
  const before = words[index - 1];
  return (
    before === undefined ||
    /npx$/.test(before) ||
    (before === "run" && words[index - 2] === "npm") ||
    SEPARATOR.test(before) ||
    /^[A-Z_][A-Z0-9_]*=/.test(before)
  );
}

/** Placeholders stand for any command: `<command>`, `[options]`, `…`. */
const PLACEHOLDER = /^[<[]|…|\.\.\./;

/**
 * What is wrong with the `sovstack` invocations of the ```sh blocks of `pages`: commands,
 * subcommands and --options the CLI does not have. `checked` gets each command found.
 */
export function commandProblems(
  dir: string,
  pages: readonly string[],
  cli: CommandTree,
  checked: Set<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const optionsOf = (command: CommandTree) => new Set([...command.options, "--help", "-h"]);
  for (const page of pages) {
    for (const block of codeBlocks(readFileSync(join(dir, page), "utf8"), ["sh", "bash", "shell"])) {
      // A line ending in \ goes on on the next one.
      const lines: Array<{ line: number; text: string }> = [];
      for (const { line, text } of block) {
        const previous = lines.at(-1);
        if (previous?.text.endsWith("\\")) previous.text = `${previous.text.slice(0, -1)} ${text}`;
        else lines.push({ line, text });
      }
      for (const { line, text } of lines) {
        const words = shellWords(text);
        words.forEach((_word, index) => {
          if (!startsInvocation(words, index)) return;
          let next = index + 1;
          if (words[next] === "--") next++;
          const rest: string[] = [];
          for (let at = next; at < words.length && !SEPARATOR.test(words[at]!); at++) rest.push(words[at]!);
          const at = `${page}:${line}: \`${["sovstack", ...rest].join(" ")}\``;
          let command = cli;
          const path: string[] = [];
          while (command.commands.length > 0 && rest[0] && !rest[0].startsWith("-")) {
            if (PLACEHOLDER.test(rest[0])) return;
            const word = rest.shift()!;
            const sub = command.commands.find((candidate) => candidate.name === word);
            if (!sub) {
              problems.push(
                `${at}: \`${["sovstack", ...path, word].join(" ")}\` is not a command. ` +
                  `Commands: ${command.commands.map((candidate) => candidate.name).join(", ")}.`,
              );
              return;
            }
            command = sub;
            path.push(word);
          }
          checked.add(path.join(" ") || "(no command)");
          const allowed = optionsOf(command);
          for (const word of rest) {
            const option = /^(?:["'])?(--?[a-zA-Z][\w-]*)/.exec(word)?.[1];
            if (!option || /^-\d/.test(word)) continue;
            if (!allowed.has(option))
              problems.push(
                `${at}: \`${["sovstack", ...path].join(" ")}\` has no option ${option}. Options: ${[...allowed].join(", ")}.`,
              );
          }
        });
      }
    }
  }
  return problems;
}

/**
 * The CLI's commands and options, read from the program cli.ts builds: a preloaded module
 * replaces commander's parse with a dump of the command tree, so one start of the CLI
 * (about a second) tells every command and option, where running `<command> --help` once
 * per command would take one start each.
 */
async function cliCommandTree(): Promise<{ tree: CommandTree; exitCode: number }> {
  const hookDir = scratchDir("sovstack-docs-cli-");
  const hook = join(hookDir, "dump-commands.mjs");
  writeFileSync(
    hook,
    [
      'import { createRequire } from "node:module";',
      `const { Command } = createRequire(${JSON.stringify(join(root, "packages/cli/package.json"))})("commander");`,
      "const tree = (command) => ({",
      "  name: command.name(),",
      "  options: command.options.flatMap((option) => [option.long, option.short].filter(Boolean)),",
      "  commands: command.commands.map(tree),",
      "});",
      "Command.prototype.parseAsync = async function () {",
      "  process.stdout.write(JSON.stringify(tree(this)));",
      "  return this;",
      "};",
    ].join("\n"),
  );
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--import", pathToFileURL(hook).href, join(root, "packages/cli/src/cli.ts")],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          done({ tree: JSON.parse(stdout) as CommandTree, exitCode: error ? Number(error.code ?? 1) : 0 });
        } catch {
          fail(new Error(`the CLI did not list its commands: ${error?.message ?? ""}\n${stderr}`));
        }
      },
    );
  });
}

let cli: CommandTree;

beforeAll(async () => {
  const { tree, exitCode } = await cliCommandTree();
  expect(exitCode).toBe(0);
  cli = tree;
});

describe("the documentation (README.md and docs/)", () => {
  const pages = documentationPages(root);

  it("has its pages and runbooks", () => {
    expect(pages).toEqual(expect.arrayContaining(["README.md", "docs/README.md", "docs/cli.md", "docs/state.md"]));
    expect(pages.filter((page) => page.startsWith("docs/runbooks/")).length).toBeGreaterThanOrEqual(5);
  });

  it("links only to files that exist, and to anchors their headings make", () => {
    expect(linkProblems(root, pages)).toEqual([]);
  });

  it("shows in its sh blocks only sovstack commands and options the CLI has", () => {
    const checked = new Set<string>();
    expect(commandProblems(root, pages, cli, checked)).toEqual([]);
    // The examples cover the CLI: a command none of them runs is documented nowhere in practice.
    const leaves = (command: CommandTree, path: string[]): string[] =>
      command.commands.length ? command.commands.flatMap((sub) => leaves(sub, [...path, sub.name])) : [path.join(" ")];
    expect(leaves(cli, []).filter((command) => !checked.has(command))).toEqual([]);
  });
});

describe("the checks find what is broken", () => {
  const dir = scratchDir("sovstack-docs-pages-");
  mkdirSync(join(dir, "docs"));
  writeFileSync(
    join(dir, "README.md"),
    [
      "# Demo",
      "[state](docs/state.md#the-deployment-lease) [gone](docs/gone.md) [lease](docs/state.md#lease)",
      "[again](docs/state.md#backends-1) [code](docs/state.md#sovstack-state-init-options) [self](#demo)",
      "",
      "```sh",
      "# [not a link](nowhere.md)",
      "npx sovstack up dev --no-refresh --json | jq .   # --not-an-option after the comment mark",
      "npx sovstack deploy dev",
      "npm run sovstack -- state unlock dev --force --yes",
      "npx sovstack state frobnicate dev",
      'curl "$(npx sovstack outputs dev --json)" && sovstack rollback dev --to -2 \\',
      "  --dry-run",
      "npx sovstack <command> --help",
      "```",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "docs/state.md"),
    [
      "# State",
      "## The deployment lease",
      "## Backends",
      "## Backends",
      "### `sovstack state init` options",
      "```sh",
      "## not a heading",
      "```",
      "[up](../README.md#not-a-heading)",
    ].join("\n"),
  );

  it("a link to a missing file or anchor, with where it is", () => {
    expect(linkProblems(dir, documentationPages(dir))).toEqual([
      "README.md:2: link docs/gone.md: docs/gone.md does not exist.",
      expect.stringMatching(/^README\.md:2: link docs\/state\.md#lease: docs\/state\.md has no heading .*#lease\./),
      expect.stringMatching(/^docs\/state\.md:9: link \.\.\/README\.md#not-a-heading: README\.md has no heading/),
    ]);
  });

  it("a command, a subcommand or an option the CLI lacks", () => {
    const checked = new Set<string>();
    expect(commandProblems(dir, documentationPages(dir), cli, checked)).toEqual([
      expect.stringMatching(
        /^README\.md:8: `sovstack deploy dev`: `sovstack deploy` is not a command\. Commands: .*up/,
      ),
      expect.stringMatching(/^README\.md:9: .*`sovstack state unlock` has no option --yes\. Options: .*--force/),
      expect.stringMatching(/^README\.md:10: .*`sovstack state frobnicate` is not a command\. Commands: .*restore/),
      expect.stringMatching(/^README\.md:11: .*`sovstack rollback` has no option --dry-run\./),
    ]);
    expect([...checked].sort()).toEqual(["outputs", "rollback", "state unlock", "up"]);
  });

  it("anchors as GitHub makes them", () => {
    expect(githubSlug("Local deployment: `npm start`")).toBe("local-deployment-npm-start");
    expect(githubSlug("`buckets.<key>`")).toBe("bucketskey");
    expect(githubSlug("Services' and backup jobs' API keys")).toBe("services-and-backup-jobs-api-keys");
    expect(githubSlug("6. Give the stack its own passphrase")).toBe("6-give-the-stack-its-own-passphrase");
    expect(githubSlug("Rollback: what it cannot undo")).toBe("rollback-what-it-cannot-undo");
    expect(githubSlug("CI/CD")).toBe("cicd");
    expect(githubSlug("[Linked](x.md) **bold** sovstack_admin")).toBe("linked-bold-sovstack_admin");
  });
});

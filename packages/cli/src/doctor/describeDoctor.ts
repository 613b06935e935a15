import { paint } from "../output";
import type { CheckStatus } from "./check";
import type { DoctorReport } from "./runDoctor";

const STYLE = { ok: "green", warn: "yellow", fail: "red" } as const satisfies Record<
  CheckStatus,
  "green" | "yellow" | "red"
>;

/** One line per check, its fix below it; colour on a terminal only. */
export function describeDoctor(report: DoctorReport, stream: NodeJS.WriteStream = process.stdout): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = [`sovstack doctor${report.environment ? ` ${report.environment}` : ""} (backend ${report.backend})`];
  for (const check of report.checks) {
    lines.push(
      `  ${paint(check.status.padEnd(4), STYLE[check.status], stream)}  ${check.name.padEnd(width)}  ${check.detail}`,
    );
    if (check.fix && check.status !== "ok") lines.push(`  ${" ".repeat(4)}  ${" ".repeat(width)}  fix: ${check.fix}`);
  }
  const failed = report.checks.filter((check) => check.status === "fail").length;
  const warned = report.checks.filter((check) => check.status === "warn").length;
  lines.push(
    failed > 0
      ? `${failed} check${failed > 1 ? "s" : ""} failed: deployments would fail until fixed.`
      : `Ready to deploy${warned > 0 ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}.`,
  );
  return lines.join("\n");
}

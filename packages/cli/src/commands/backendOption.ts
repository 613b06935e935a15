/** The --backend option every command that reads or writes a stack's state takes. */
export const BACKEND_OPTION = "--backend <url>";
export const BACKEND_HELP =
  "state backend URL (default: SOVSTACK_BACKEND_URL, PULUMI_BACKEND_URL or file://.sovstack/state)";

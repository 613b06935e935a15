/**
 * Ctrl-C and SIGTERM during a deployment. The first signal stops the engine gracefully (it
 * finishes the operations in flight and saves the state), no later engine run starts, the
 * lease is released and the command exits 130; a second one exits at once.
 *
 * The engine is stopped by a SIGINT to the `pulumi` child (the Automation API's `signal`
 * option), and Pulumi takes a second SIGINT as "terminate now". A Ctrl-C in a terminal
 * reaches the whole foreground process group, the child included, so sovstack must not send
 * it another one; a SIGTERM sent to sovstack alone (a CI runner cancelling a job, `kill <pid>`)
 * does not reach the child, so sovstack must. The engine prints when it got a signal
 * ("^C received; cancelling"): sovstack forwards the signal only if the engine did not say so
 * within a short grace period.
 *
 * Only deployments install the handlers, for as long as they run: every other command keeps
 * Node's default (stop at once), which is safe for them.
 */
import { ExitCode } from "../exitCodes";

/** What the engine prints when a signal reached it: the first one cancels, the next terminates. */
const ENGINE_GOT_SIGNAL = /(?:\^C|SIGTERM) received; (?:cancelling|terminating)/;
/** What is kept of the engine's output for the next chunk: more than the pattern's longest match. */
const ACKNOWLEDGEMENT_LENGTH = 40;

/** How long the engine has to say that the user's signal reached it before sovstack forwards it. */
const ENGINE_ACKNOWLEDGE_MS = 2000;
/** Between two SIGINTs to the engine: Go drops a signal that arrives before it took the previous one. */
const SIGNAL_SPACING_MS = 250;

const HANDLED = ["SIGINT", "SIGTERM"] as const;
type HandledSignal = (typeof HANDLED)[number];

/** A deployment stopped because the user asked: after the engine saved its state, before any later step. */
export class DeploymentInterrupted extends Error {
  constructor(
    readonly environment: string,
    options?: ErrorOptions,
  ) {
    super(
      `interrupted: ${environment} stopped safely. Its state is consistent: it records what the engine did before it stopped, and the lease is released.`,
      options,
    );
    this.name = "DeploymentInterrupted";
  }
}

/** One run of the engine (a preview, an update, a destroy) and whether a signal reached it. */
interface EngineRun {
  readonly stop: AbortController;
  signalled: boolean;
}

class InterruptHandling {
  /** The first signal received, if any. */
  received?: HandledSignal;
  private readonly runs = new Set<EngineRun>();
  private readonly atOnceCleanups = new Set<() => void>();
  private leaseTtlMs?: number;
  /** A PostgreSQL advisory lock: it ends with this process's database session. */
  private leaseEndsWithSession = false;
  private forwardTimer?: NodeJS.Timeout;
  private readonly listener = (signal: HandledSignal) => this.onSignal(signal);
  private stopRequested: () => void = () => undefined;
  /** Settles at the first signal. */
  readonly stopping: Promise<void>;

  constructor(readonly environment: string) {
    this.stopping = new Promise<void>((resolve) => (this.stopRequested = resolve));
  }

  install(): void {
    for (const signal of HANDLED) process.on(signal, this.listener);
  }

  uninstall(): void {
    for (const signal of HANDLED) process.off(signal, this.listener);
    clearTimeout(this.forwardTimer);
  }

  interrupted(): DeploymentInterrupted {
    return new DeploymentInterrupted(this.environment);
  }

  leaseHeld(ttlMs: number, endsWithSession: boolean): () => void {
    this.leaseTtlMs = ttlMs;
    this.leaseEndsWithSession = endsWithSession;
    return () => (this.leaseTtlMs = undefined);
  }

  onStopAtOnce(cleanup: () => void): () => void {
    this.atOnceCleanups.add(cleanup);
    return () => this.atOnceCleanups.delete(cleanup);
  }

  async track<T>(run: EngineRun, work: () => Promise<T>): Promise<T> {
    this.runs.add(run);
    try {
      return await work();
    } finally {
      this.runs.delete(run);
    }
  }

  private onSignal(signal: HandledSignal): void {
    if (!this.received) this.stopSafely(signal);
    else this.stopAtOnce(signal);
  }

  private stopSafely(signal: HandledSignal): void {
    this.received = signal;
    this.stopRequested();
    const again = signal === "SIGINT" ? "press Ctrl-C again" : "send SIGTERM again (or press Ctrl-C)";
    process.stderr.write(
      `\nstopping safely: the engine finishes the operations in flight and saves the state; ${again} to stop at once (may leave resources the state does not record)\n`,
    );
    // A run that the signal did not reach (it was sent to sovstack alone) is told by sovstack.
    this.forwardTimer = setTimeout(() => {
      for (const run of this.runs) if (!run.signalled) signalEngine(run);
    }, ENGINE_ACKNOWLEDGE_MS);
  }

  private stopAtOnce(signal: HandledSignal): void {
    const environment = this.environment;
    const lease =
      this.leaseTtlMs === undefined
        ? ""
        : this.leaseEndsWithSession
          ? ` The deployment lease of ${environment} ends with this process's database session.`
          : ` The deployment lease of ${environment} stays until it expires (${Math.ceil(this.leaseTtlMs / 1000)} s after its last renewal); to deploy again sooner, break it with \`sovstack state unlock ${environment} --force\`.`;
    process.stderr.write(
      `\n${signal === "SIGINT" ? "^C" : signal} again: stopping at once. The engine terminates without finishing its operations: resources it was creating or changing may exist without being recorded in the state.${lease} Before running it again, \`sovstack state verify ${environment}\` lists the operations left pending (docs/runbooks/stuck-lock.md).\n`,
    );
    for (const cleanup of this.atOnceCleanups) {
      try {
        cleanup();
      } catch {
        // Exiting now matters more than a temporary folder.
      }
    }
    // Pulumi terminates on its second signal: send what it may not have had, spaced so that none is dropped.
    const runs = [...this.runs];
    for (const run of runs) signalEngine(run);
    const unsignalled = runs.filter((run) => !run.signalled);
    if (unsignalled.length > 0) {
      // A blocking wait: nothing else of the deployment runs any more (no release, no message saying it stopped safely).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SIGNAL_SPACING_MS);
      for (const run of unsignalled) signalEngine(run);
    }
    process.exit(ExitCode.interrupted);
  }
}

/**
 * SIGINT to the engine child of a run, through the Automation API, which sends one each
 * time its signal fires: the first time by aborting, then by firing the abort event again.
 */
function signalEngine(run: EngineRun): void {
  if (!run.stop.signal.aborted) run.stop.abort(new Error("interrupted"));
  else run.stop.signal.dispatchEvent(new Event("abort"));
}

/** Signals are per process: one handling at a time, shared by nested scopes (a rollback's lease). */
let active: InterruptHandling | undefined;

/**
 * Runs `work` with Ctrl-C and SIGTERM handled as above. When a signal arrived, it ends with
 * DeploymentInterrupted once `work` has ended, whatever `work` did (the error it threw is the
 * cause). Nested calls share the outer handling.
 */
export async function withInterruptHandling<T>(environment: string, work: () => Promise<T>): Promise<T> {
  const outer = !active;
  const handling = active ?? new InterruptHandling(environment);
  if (outer) {
    active = handling;
    handling.install();
  }
  try {
    const result = await work().catch((error: unknown) => {
      if (handling.received && !(error instanceof DeploymentInterrupted))
        throw new DeploymentInterrupted(handling.environment, { cause: error });
      throw error;
    });
    if (handling.received) throw handling.interrupted();
    return result;
  } finally {
    if (outer) {
      handling.uninstall();
      active = undefined;
    }
  }
}

/** Whether a deployment was asked to stop. */
export function isInterrupted(): boolean {
  return Boolean(active?.received);
}

/** Before each step: nothing new starts once a deployment was asked to stop. */
export function throwIfInterrupted(): void {
  if (active?.received) throw active.interrupted();
}

/** Waits `ms`, less when a deployment is asked to stop meanwhile (the wait before a retry). */
export async function waitUnlessInterrupted(ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race(active ? [waited, active.stopping] : [waited]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tells a second signal where the lease stands; call the result when it is released. */
export function noteLeaseHeld(ttlMs: number, endsWithSession = false): () => void {
  return active?.leaseHeld(ttlMs, endsWithSession) ?? (() => undefined);
}

/** A quick synchronous cleanup for a second signal (exit at once), such as a temporary checkout. */
export function onStopAtOnce(cleanup: () => void): () => void {
  return active?.onStopAtOnce(cleanup) ?? (() => undefined);
}

export interface EngineRunOptions {
  /** Stops the engine for another reason: the deployment lease was lost. */
  readonly signal?: AbortSignal;
  readonly onOutput?: (text: string) => void;
}

/**
 * Runs one engine command (`run` passes `signal` and `onOutput` to the Automation API):
 * refused when the deployment was already asked to stop or its lease lost (the Automation
 * API ignores a signal that is already aborted), stopped when either happens while it runs.
 */
export async function runEngine<T>(
  options: EngineRunOptions,
  run: (engine: { signal: AbortSignal; onOutput: (text: string) => void }) => Promise<T>,
): Promise<T> {
  throwIfInterrupted();
  options.signal?.throwIfAborted();
  const engineRun: EngineRun = { stop: new AbortController(), signalled: false };
  const leaseLost = () => engineRun.stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", leaseLost, { once: true });
  let tail = "";
  const onOutput = (text: string) => {
    options.onOutput?.(text);
    if (ENGINE_GOT_SIGNAL.test(tail + text)) engineRun.signalled = true;
    tail = (tail + text).slice(-ACKNOWLEDGEMENT_LENGTH);
  };
  const work = () => run({ signal: engineRun.stop.signal, onOutput });
  try {
    return await (active ? active.track(engineRun, work) : work());
  } finally {
    options.signal?.removeEventListener("abort", leaseLost);
  }
}

/**
 * Ends a command whose deployment was interrupted: what happened and what to run next on
 * stderr, exit code 130. Any other error is thrown again.
 */
export function endInterrupted(error: unknown, nextStep: string): undefined {
  if (!(error instanceof DeploymentInterrupted)) throw error;
  process.stderr.write(`${error.message} ${nextStep}\n`);
  process.exitCode = ExitCode.interrupted;
  return undefined;
}

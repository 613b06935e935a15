import { parseBackendUrl, redactedUrl } from "./backendUrl";
import type { Checkpoint } from "./checkpoint";
import { passphraseCrypter, passphraseSaltOf, type PassphraseCrypter } from "./passphraseCrypter";

/**
 * The public passphrase of local stacks, which sovstack gives the engine on file://
 * backends when PULUMI_CONFIG_PASSPHRASE is unset (engine/workspace.ts). Here, not there,
 * so that state commands need not load the Automation API.
 */
export const LOCAL_PASSPHRASE = "sovstack-local";

/**
 * A decrypter of the checkpoint's secrets, when the passphrase that opens them is at
 * hand: PULUMI_CONFIG_PASSPHRASE, or the public local one. Undefined otherwise (or when
 * the stack does not use Pulumi's passphrase provider).
 */
export async function crypterOf(
  checkpoint: Checkpoint,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PassphraseCrypter | undefined> {
  const salt = passphraseSaltOf(checkpoint);
  if (!salt) return undefined;
  for (const candidate of new Set([env.PULUMI_CONFIG_PASSPHRASE, LOCAL_PASSPHRASE])) {
    if (!candidate) continue;
    const crypter = await passphraseCrypter(candidate, salt);
    if (crypter) return crypter;
  }
  return undefined;
}

/**
 * What a stack moved to another backend needs to be opened there, as one sentence, or ""
 * when nothing changes. The salt moves with the stack, so its passphrase stays the same,
 * but where sovstack finds a passphrase depends on the backend: PULUMI_CONFIG_PASSPHRASE,
 * else the local one on file://, else Secret Manager (`/sovstack/pulumi-passphrase-<env>`,
 * in the bucket's region for s3://, SCW_DEFAULT_REGION for postgres://).
 */
export async function passphraseNoticeAfterMove(
  environment: string,
  checkpoint: Checkpoint,
  to: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const salt = passphraseSaltOf(checkpoint);
  if (!salt) return "";
  const location = parseBackendUrl(to);
  const isLocal = Boolean(await passphraseCrypter(LOCAL_PASSPHRASE, salt));
  const exported = env.PULUMI_CONFIG_PASSPHRASE;
  const isExported = Boolean(exported && exported !== LOCAL_PASSPHRASE && (await passphraseCrypter(exported, salt)));
  if (location.kind === "file") {
    return isLocal
      ? ""
      : `${isExported ? "Keep" : "Export"} PULUMI_CONFIG_PASSPHRASE=<the stack's current passphrase> for every command ` +
          `on the new backend: without it, sovstack gives file:// stacks the local passphrase, which does not open this one.`;
  }
  const region = location.kind === "s3" ? location.region : (env.SCW_DEFAULT_REGION ?? "fr-par");
  const secret = `/sovstack/pulumi-passphrase-${environment}`;
  const fromSecretManager = `sovstack reads ${secret} from Secret Manager (${region}, project SCW_DEFAULT_PROJECT_ID) unless PULUMI_CONFIG_PASSPHRASE is set`;
  const changeProvider =
    `give the stack that passphrase with \`pulumi stack change-secrets-provider\` against ${redactedUrl(to)}, ` +
    `as docs/deployment.md step 6 says, and commit the new encryptionsalt of infra/Pulumi.${environment}.yaml`;
  if (isLocal)
    return (
      `The ${environment} stack's secrets are encrypted with the public local passphrase \`${LOCAL_PASSPHRASE}\` ` +
      `(file:// backends use it when PULUMI_CONFIG_PASSPHRASE is unset). On the new backend, ${fromSecretManager}, ` +
      `and that passphrase does not decrypt them: every command would fail with \`incorrect passphrase\`. Either keep ` +
      `\`export PULUMI_CONFIG_PASSPHRASE=${LOCAL_PASSPHRASE}\` for every command on the new backend, or (what a shared ` +
      `environment needs, the local passphrase being public) ${changeProvider}, running it with ` +
      `PULUMI_CONFIG_PASSPHRASE=${LOCAL_PASSPHRASE}.`
    );
  if (isExported)
    return (
      `Keep PULUMI_CONFIG_PASSPHRASE (the stack's current passphrase) exported for every command on the new backend: ` +
      `without it, ${fromSecretManager.replace(/ unless .*$/, "")}, which opens the stack only if it holds that same ` +
      `passphrase; or ${changeProvider}.`
    );
  return (
    `The stack keeps its passphrase (its salt moved with it). On the new backend, ${fromSecretManager}: it must be the ` +
    `stack's current passphrase, else every command fails with \`incorrect passphrase\`. Then export ` +
    `PULUMI_CONFIG_PASSPHRASE=<the stack's current passphrase>, or ${changeProvider}.`
  );
}

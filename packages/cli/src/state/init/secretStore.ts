import { callScaleway, getOrCreate, type ScalewayClients, type SecretApi } from "./scalewayClients";

/** Where sovstack files its secrets in Secret Manager. */
export const SOVSTACK_SECRET_PATH = "/sovstack";

type StoredSecret = Awaited<ReturnType<SecretApi["getSecret"]>>;

export interface NewSecret {
  readonly name: string;
  readonly description: string;
  readonly type: "opaque" | "key_value";
  /** The payload, as text; sent base64-encoded as the API wants it. */
  readonly value: string;
  /** A protected secret cannot be deleted until unprotected: for what cannot be recreated. */
  readonly protected: boolean;
}

/** The live secret `name` under /sovstack in the project and region, if any. */
export async function findSecret(clients: ScalewayClients, name: string): Promise<StoredSecret | undefined> {
  const { secrets } = await callScaleway(`look for secret ${SOVSTACK_SECRET_PATH}/${name}`, () =>
    clients.secret.listSecrets({
      region: clients.region,
      projectId: clients.projectId,
      name,
      path: SOVSTACK_SECRET_PATH,
      scheduledForDeletion: false,
    }),
  );
  return secrets.find((secret) => secret.name === name && secret.path === SOVSTACK_SECRET_PATH);
}

/** Creates the secret (unless a retried try already did) and its first version. */
export async function createSecret(clients: ScalewayClients, secret: NewSecret): Promise<StoredSecret> {
  const created = await getOrCreate(
    `create secret ${SOVSTACK_SECRET_PATH}/${secret.name}`,
    () => findSecret(clients, secret.name),
    () =>
      clients.secret.createSecret({
        region: clients.region,
        projectId: clients.projectId,
        name: secret.name,
        path: SOVSTACK_SECRET_PATH,
        description: secret.description,
        type: secret.type,
        tags: ["sovstack"],
        protected: secret.protected,
      }),
  );
  await addVersion(clients, created, secret.value);
  return created;
}

/** A new version of `secret` holding `value`; the previous one is disabled. */
export async function addVersion(clients: ScalewayClients, secret: StoredSecret, value: string): Promise<void> {
  const data = Buffer.from(value, "utf8").toString("base64");
  await getOrCreate(
    `store a version of secret ${SOVSTACK_SECRET_PATH}/${secret.name}`,
    // More versions than before the first try: that try created one before its answer was lost.
    async () => ((await versionCount(clients, secret.id)) > secret.versionCount ? true : undefined),
    async () => {
      await clients.secret.createSecretVersion({
        region: clients.region,
        secretId: secret.id,
        data,
        disablePrevious: true,
      });
      return true;
    },
  );
}

async function versionCount(clients: ScalewayClients, secretId: string): Promise<number> {
  const current = await clients.secret.getSecret({ region: clients.region, secretId });
  return current.versionCount;
}

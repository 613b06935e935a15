import { credentialInValue, isCredentialName } from "./credentials";
import { resourcePolicy } from "./definePolicy";
import { asString } from "./inputs";
import { WORKLOAD_TYPES, commandLine, plainEnvironment, secretHome } from "./workloads";

interface NameSettings {
  /** Variable names that look like credentials but are not (e.g. a public key's name). */
  readonly allowedNames: readonly string[];
}

export const secretsNoCredentialEnvNames = resourcePolicy<NameSettings>({
  name: "secrets-no-credential-env-names",
  domain: "secrets",
  description:
    "Credentials (passwords, secrets, tokens, API and private keys) reach workloads from Secret Manager, " +
    "never as plain environment variables.",
  appliesTo: WORKLOAD_TYPES,
  settings: {
    defaults: { allowedNames: [] },
    schema: { allowedNames: { type: "array", items: { type: "string" } } },
  },
  validate: ({ resource, settings, report }) => {
    for (const name of Object.keys(plainEnvironment(resource.type, resource.inputs))) {
      if (isCredentialName(name) && !settings.allowedNames.includes(name)) {
        report(
          `must not pass ${name} as a plain environment variable: move it to ${secretHome(resource.type)} ` +
            "(or list it in allowedNames if it holds no secret).",
        );
      }
    }
  },
});

export const secretsNoCredentialEnvValues = resourcePolicy({
  name: "secrets-no-credential-env-values",
  domain: "secrets",
  description:
    "No plain environment variable or command-line argument holds a credential: private keys, passwords in URLs, " +
    "Scaleway or AWS keys, tokens.",
  appliesTo: WORKLOAD_TYPES,
  validate: ({ resource, report }) => {
    const home = secretHome(resource.type);
    for (const [name, value] of Object.entries(plainEnvironment(resource.type, resource.inputs))) {
      const text = asString(value);
      const what = text === undefined ? undefined : credentialInValue(text);
      if (what) report(`must not hold a credential in plain text: ${name} holds ${what}; move it to ${home}.`);
    }
    for (const text of commandLine(resource.inputs)) {
      const what = credentialInValue(text);
      if (what) report(`must not pass a credential on the command line: it holds ${what}; move it to ${home}.`);
    }
  },
});

export const secretsPolicies = [secretsNoCredentialEnvNames, secretsNoCredentialEnvValues];

import { describe, expect, it } from "vitest";
import { credentialInValue, isCredentialName } from "./credentials";

describe("isCredentialName", () => {
  it.each([
    "DATABASE_PASSWORD",
    "PGPASSWORD",
    "SMTP_PASS",
    "JWT_SECRET",
    "SCW_SECRET_KEY",
    "SCALEWAY_SECRET_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "GITHUB_TOKEN",
    "authToken",
    "STRIPE_API_KEY",
    "APIKEY",
    "TLS_PRIVATE_KEY",
    "SESSION_KEY",
    "OAUTH_CLIENT_SECRET",
    "GOOGLE_CREDENTIALS",
  ])("%s names a credential", (name) => {
    expect(isCredentialName(name)).toBe(true);
  });

  it.each([
    "SCALEWAY_ACCESS_KEY",
    "SCW_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "SECRET_ID",
    "DATABASE_PASSWORD_FILE",
    "TOKEN_TTL",
    "MAX_TOKENS",
    "TOKENIZER_MODEL",
    "CACHE_KEY",
    "PARTITION_KEY",
    "DATABASE_USER",
    "PWD",
    "PASSWORD_MIN_LENGTH",
    "CSRF_TOKEN_HEADER",
    "LOG_LEVEL",
  ])("%s does not", (name) => {
    expect(isCredentialName(name)).toBe(false);
  });
});

describe("credentialInValue", () => {
  it.each([
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "a private key (PEM)"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "a private key (PEM)"],
    ["postgres://app:s3cr3t@172.16.0.2:5432/app", "a URL with a password"],
    ["redis://:hunter2@cache:6379", "a URL with a password"],
    ["SCWABCDEFGHIJKLMNOPQ:6f1e4e3c-2d1b-4a5f-9e8d-7c6b5a4f3e2d", "a Scaleway access key with its secret key"],
    ['{"secret_key": "6f1e4e3c-2d1b-4a5f-9e8d-7c6b5a4f3e2d"}', "a Scaleway secret key"],
    ["AKIAIOSFODNN7EXAMPLE", "an AWS access key"],
    [
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "a JSON Web Token",
    ],
    ["ghp_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub or Slack token"],
  ])("finds a credential in %s", (value, what) => {
    expect(credentialInValue(value)).toBe(what);
  });

  it.each([
    "https://api.dev.evalplatform.example",
    "postgres://app@172.16.0.2:5432/app",
    "postgres://app:${DATABASE_PASSWORD}@db/app",
    "SCWPLANNEDACCESSKEY0",
    "11111111-1111-4111-8111-111111111111",
    "-----BEGIN CERTIFICATE-----",
    "rg.fr-par.scw.cloud/evalplatform/api:1.4.2",
  ])("finds none in %s", (value) => {
    expect(credentialInValue(value)).toBeUndefined();
  });
});

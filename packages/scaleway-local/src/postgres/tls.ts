import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

const generateRsa = promisify(generateKeyPair);

let key: Promise<{ publicKey: string; privateKey: string }> | undefined;

/**
 * One key pair per process for every server certificate: RSA generation takes a few
 * hundred milliseconds here, and the replay of the recordings makes dozens of instances.
 * Each certificate is still its own (names, serial number).
 */
function serverKey() {
  key ??= generateRsa("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return key;
}

/**
 * A self-signed server certificate, as Scaleway gives each Database Instance: the same
 * subject fields, the hostnames and IP clients connect to in its names. `sslrootcert` set
 * to it lets `sslmode=verify-full` succeed against 127.0.0.1. The key is made natively
 * (node-forge's RSA in JavaScript takes about a second).
 */
export async function issueServerCertificate(hostnames: readonly string[], ips: readonly string[]) {
  const { publicKey, privateKey } = await serverKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: "countryName", value: "FR" },
    { name: "stateOrProvinceName", value: "Paris" },
    { name: "localityName", value: "Paris" },
    { name: "organizationName", value: "Scaleway" },
    { name: "commonName", value: ips[0] ?? hostnames[0] ?? "localhost" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    {
      name: "subjectAltName",
      altNames: [...hostnames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey } satisfies ServerCertificate;
}

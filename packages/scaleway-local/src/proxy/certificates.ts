import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface KeyPair {
  readonly keyPem: string;
  readonly certPem: string;
}

/**
 * The local Scaleway's certificate authority: generated once per CA folder, then
 * reused so that a client trusting it keeps trusting it across restarts. It signs a
 * certificate per hostname the proxy terminates TLS for.
 */
export class CertificateAuthority {
  readonly certFile: string;
  private readonly ca: { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate };
  private readonly issued = new Map<string, KeyPair>();
  /** One key for every leaf certificate, made on first use. */
  private leafKeyPair: forge.pki.rsa.KeyPair | undefined;

  constructor(caDir?: string) {
    const folder = caDir ?? mkdtempSync(join(tmpdir(), "scaleway-local-ca-"));
    mkdirSync(folder, { recursive: true });
    this.certFile = join(folder, "ca.pem");
    const keyFile = join(folder, "ca-key.pem");
    if (existsSync(this.certFile) && existsSync(keyFile)) {
      this.ca = {
        key: forge.pki.privateKeyFromPem(readFileSync(keyFile, "utf8")),
        cert: forge.pki.certificateFromPem(readFileSync(this.certFile, "utf8")),
      };
    } else {
      this.ca = createCa();
      writeFileSync(keyFile, forge.pki.privateKeyToPem(this.ca.key), { mode: 0o600 });
      writeFileSync(this.certFile, forge.pki.certificateToPem(this.ca.cert));
    }
  }

  private get leafKeys(): forge.pki.rsa.KeyPair {
    this.leafKeyPair ??= rsaKeyPair();
    return this.leafKeyPair;
  }

  /** A certificate for `hostname`, signed by the CA (cached). */
  issue(hostname: string): KeyPair {
    const cached = this.issued.get(hostname);
    if (cached) return cached;
    const cert = forge.pki.createCertificate();
    cert.publicKey = this.leafKeys.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
    cert.setSubject([{ name: "commonName", value: hostname }]);
    cert.setIssuer(this.ca.cert.subject.attributes);
    cert.setExtensions([
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: hostname }] },
    ]);
    cert.sign(this.ca.key, forge.md.sha256.create());
    const pair = {
      keyPem: forge.pki.privateKeyToPem(this.leafKeys.privateKey),
      certPem: forge.pki.certificateToPem(cert),
    };
    this.issued.set(hostname, pair);
    return pair;
  }
}

/** An RSA key pair made by Node's native crypto (node-forge's own generator is slow JavaScript). */
function rsaKeyPair(): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const key = forge.pki.privateKeyFromPem(privatePem);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function createCa() {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: "commonName", value: "sovstack local Scaleway CA" },
    { name: "organizationName", value: "sovstack" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { key: keys.privateKey, cert };
}

function serial(): string {
  // A positive 16-byte serial number, as hex.
  return "01" + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

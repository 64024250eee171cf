/**
 * A throw-away certificate authority for tests: a CA, server certificates for loopback, client certificates whose
 * subject says who the client is (the way kube-apiserver's x509 authenticator reads it: CN = user, O = groups).
 *
 * Node can verify X.509 but not create it, so certificates are built with node-forge (a devDependency of
 * kubex-rx; install it in your project to use `FakeApiServer.start({ tls: true })`). Keys are RSA 2048 made by
 * `node:crypto` (fast, native); forge only assembles and signs the certificates. Nothing touches the disk.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type * as Forge from 'node-forge';

type ForgeModule = typeof Forge;

let forgeModule: Promise<ForgeModule> | undefined;

/** node-forge, loaded on first use so `kubex-rx/testing` does not need it unless TLS is asked for. */
function loadForge(): Promise<ForgeModule> {
  forgeModule ??= import('node-forge').then(
    (m) => ((m as unknown as { default?: ForgeModule }).default ?? (m as unknown as ForgeModule)),
    (error: unknown) => {
      forgeModule = undefined;
      throw new Error('kubex-rx/testing: generating test certificates needs the node-forge package (npm install -D node-forge), or pass { tls: { cert, key, ca } }', {
        cause: error,
      });
    },
  );
  return forgeModule;
}

/**
 * A PEM certificate and its PEM private key (PKCS#8).
 * @since 0.1.0
 */
export interface TestCertificate {
  /** The certificate (PEM). */
  readonly cert: string;
  /** Its private key (PEM, PKCS#8). */
  readonly key: string;
}

/**
 * What {@link TestPki.issue} makes.
 * @since 0.1.0
 */
export interface IssueOptions {
  /** The subject CN; for a client certificate, the Kubernetes user name. */
  readonly commonName: string;
  /** Subject O entries; for a client certificate, the Kubernetes groups. */
  readonly organizations?: readonly string[];
  /** Subject alternative names: DNS names and IP addresses (a server certificate). */
  readonly altNames?: readonly string[];
  /** `server` (serverAuth), `client` (clientAuth), or both. Default `['server', 'client']`. */
  readonly usage?: readonly ('server' | 'client')[];
  /** Validity in days from now (starts an hour ago, against clock skew). Default 1. Negative: already expired. */
  readonly validDays?: number;
}

/**
 * A test certificate authority. `ca.cert` is what clients trust (`certificate-authority-data`).
 * @since 0.1.0
 */
export interface TestPki {
  /** The self-signed CA certificate and its key. */
  readonly ca: TestCertificate;
  /** Issues a certificate signed by this CA. */
  issue(options: IssueOptions): Promise<TestCertificate>;
}

function newKeyPair(forge: ForgeModule): { pem: string; privateKey: Forge.pki.rsa.PrivateKey; publicKey: Forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as Forge.pki.rsa.PrivateKey;
  return { pem, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/** A positive serial number: 16 random bytes with the high bit cleared. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: Forge.pki.Certificate, days: number): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(Math.min(now - 3_600_000, now + days * 86_400_000 - 3_600_000));
  cert.validity.notAfter = new Date(now + days * 86_400_000);
}

/**
 * Creates a new certificate authority (RSA 2048, SHA-256), valid for a day.
 *
 * @example
 * ```ts
 * const pki = await createTestPki();
 * const alice = await pki.issue({ commonName: 'alice', organizations: ['dev'], usage: ['client'] });
 * ```
 * @since 0.1.0
 */
export async function createTestPki(options: { readonly commonName?: string } = {}): Promise<TestPki> {
  const forge = await loadForge();
  const caKeys = newKeyPair(forge);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = caKeys.publicKey;
  caCert.serialNumber = serial();
  validity(caCert, 1);
  const caSubject = [{ shortName: 'CN', value: options.commonName ?? 'kubex-rx test CA' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKeys.privateKey, forge.md.sha256.create());
  const caKeyId = caCert.generateSubjectKeyIdentifier().getBytes();
  const ca: TestCertificate = { cert: forge.pki.certificateToPem(caCert), key: caKeys.pem };

  const issue = async (o: IssueOptions): Promise<TestCertificate> => {
    const keys = newKeyPair(forge);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    validity(cert, o.validDays ?? 1);
    cert.setSubject([{ shortName: 'CN', value: o.commonName }, ...(o.organizations ?? []).map((value) => ({ shortName: 'O', value }))]);
    cert.setIssuer(caSubject);
    const usage = o.usage ?? ['server', 'client'];
    const altNames = (o.altNames ?? []).map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name }));
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: usage.includes('server'), clientAuth: usage.includes('client') },
      ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId },
    ]);
    cert.sign(caKeys.privateKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
  };
  return { ca, issue };
}

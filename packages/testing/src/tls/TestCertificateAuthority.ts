// @peculiar/x509 needs the Reflect metadata API (through tsyringe) before it loads.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  type JsonGeneralName,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  type X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';

/** A certificate and its private key, both PEM, ready for `https.createServer({ cert, key })`. */
export interface IssuedCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const hourMs = 60 * 60 * 1000;

type KeyPair = webcrypto.CryptoKeyPair;

function generateKeys(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
}

/** A positive serial number of 16 random bytes, hex. */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** Validity from an hour ago (clock skew) to `days` from now. */
function validity(days: number): { readonly notBefore: Date; readonly notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - hourMs), notAfter: new Date(now + days * 24 * hourMs) };
}

/**
 * A certificate authority made at run time, so loopback https servers (the Graph emulator) can be trusted
 * without a checked-in key: trust `certificatePem` (`ca` option, or `NODE_EXTRA_CA_CERTS` in a child process)
 * and serve a certificate from `issueServerCertificate`.
 *
 * @example
 * const ca = await TestCertificateAuthority.create();
 * const { certificatePem, privateKeyPem } = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
 * https.createServer({ cert: certificatePem, key: privateKeyPem }, handler);
 */
export class TestCertificateAuthority {
  /** The CA certificate (PEM): trust this. */
  readonly certificatePem: string;
  readonly #certificate: X509Certificate;
  readonly #keys: KeyPair;

  private constructor(certificate: X509Certificate, keys: KeyPair) {
    this.#certificate = certificate;
    this.#keys = keys;
    this.certificatePem = certificate.toString('pem');
  }

  /** Makes a self-signed ECDSA P-256 CA valid for 30 days. */
  static async create(options: { readonly commonName?: string } = {}): Promise<TestCertificateAuthority> {
    const keys = await generateKeys();
    const commonName = (options.commonName ?? 'Switchboard Test CA').replaceAll(/[,=+<>#;"\\]/g, ' ');
    const certificate = await X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: serialNumber(),
        name: `CN=${commonName}`,
        ...validity(30),
        keys,
        signingAlgorithm,
        extensions: [
          new BasicConstraintsExtension(true, 0, true),
          new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
          await SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
        ],
      },
      webcrypto,
    );
    return new TestCertificateAuthority(certificate, keys);
  }

  /**
   * Issues a server certificate for the given host names: DNS names (`localhost`) go into DNS SANs, IP
   * addresses (`127.0.0.1`, `::1`) into IP SANs. The first name is also the subject's common name.
   */
  async issueServerCertificate(hostnames: readonly string[]): Promise<IssuedCertificate> {
    const first = hostnames[0];
    if (first === undefined) throw new TypeError('issueServerCertificate needs at least one host name');
    const keys = await generateKeys();
    const names: JsonGeneralName[] = hostnames.map((host) => ({
      type: isIP(host) === 0 ? 'dns' : 'ip',
      value: host,
    }));
    const certificate = await X509CertificateGenerator.create(
      {
        serialNumber: serialNumber(),
        subject: `CN=${first}`,
        issuer: this.#certificate.subject,
        ...validity(7),
        publicKey: keys.publicKey,
        signingKey: this.#keys.privateKey,
        signingAlgorithm,
        extensions: [
          new BasicConstraintsExtension(false, undefined, true),
          new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment, true),
          new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
          new SubjectAlternativeNameExtension(names),
          await SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
          await AuthorityKeyIdentifierExtension.create(this.#keys.publicKey, false, webcrypto),
        ],
      },
      webcrypto,
    );
    const privateKey = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return {
      certificatePem: certificate.toString('pem'),
      privateKeyPem: PemConverter.encode(privateKey, 'PRIVATE KEY'),
    };
  }
}

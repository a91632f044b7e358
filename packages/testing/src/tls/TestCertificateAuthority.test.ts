import { X509Certificate } from 'node:crypto';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestCertificateAuthority } from './TestCertificateAuthority.js';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

async function serve(cert: string, key: string): Promise<number> {
  const server = createServer({ cert, key }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('hello over tls');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function request(url: string, ca?: string): Promise<{ readonly status: number; readonly body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, ca === undefined ? {} : { ca }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('TestCertificateAuthority', () => {
  it('issues a certificate that a client trusting the CA accepts, by IP and by DNS name', async () => {
    const ca = await TestCertificateAuthority.create({ commonName: 'Switchboard emulator CA' });
    const issued = await ca.issueServerCertificate(['localhost', '127.0.0.1']);
    const port = await serve(issued.certificatePem, issued.privateKeyPem);

    await expect(request(`https://127.0.0.1:${port}/`, ca.certificatePem)).resolves.toEqual({
      status: 200,
      body: 'hello over tls',
    });
    await expect(request(`https://localhost:${port}/`, ca.certificatePem)).resolves.toMatchObject({
      status: 200,
    });
  });

  it('is refused by a client that does not trust the CA', async () => {
    const ca = await TestCertificateAuthority.create();
    const issued = await ca.issueServerCertificate(['127.0.0.1']);
    const port = await serve(issued.certificatePem, issued.privateKeyPem);

    await expect(request(`https://127.0.0.1:${port}/`)).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    const stranger = await TestCertificateAuthority.create();
    await expect(request(`https://127.0.0.1:${port}/`, stranger.certificatePem)).rejects.toThrow();
  });

  it('is refused for a host name the certificate does not name', async () => {
    const ca = await TestCertificateAuthority.create();
    const issued = await ca.issueServerCertificate(['127.0.0.1']);
    const port = await serve(issued.certificatePem, issued.privateKeyPem);

    await expect(request(`https://localhost:${port}/`, ca.certificatePem)).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('puts DNS names and IP addresses into the right SANs, signed by the CA', async () => {
    const ca = await TestCertificateAuthority.create();
    const issued = await ca.issueServerCertificate(['localhost', '127.0.0.1', '::1']);
    const certificate = new X509Certificate(issued.certificatePem);
    const authority = new X509Certificate(ca.certificatePem);

    expect(certificate.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(certificate.checkIssued(authority)).toBe(true);
    expect(certificate.verify(authority.publicKey)).toBe(true);
    expect(authority.ca).toBe(true);
    expect(certificate.ca).toBe(false);
    expect(issued.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

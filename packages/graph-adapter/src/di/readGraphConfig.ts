import { type TelephonyConfig, TelephonyError } from '@switchboard/core';
import type { GraphBackendOptions } from '../backend/GraphBackend.js';
import { readAcceptedTenants } from '../webhook/readAcceptedTenants.js';

function invalid(message: string): TelephonyError {
  return new TelephonyError('invalidConfig', message, { backend: 'graph' });
}

function requiredString(
  section: Readonly<Record<string, unknown>>,
  name: string,
  hint: string,
  prefix = 'graph',
): string {
  const value = section[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`${prefix}.${name} is required (${hint})`);
  return value;
}

function optionalString(section: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = section[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`graph.${name} must be a non-empty string`);
  return value;
}

function httpsUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`graph.${name} must be a URL`);
  }
  // Graph posts only to https; plain http is accepted on loopback, for emulators and local tunnels' back ends.
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid(`graph.${name} must be an https URL (http only on loopback)`);
  }
  return value;
}

/**
 * Reads and validates the `graph` section of a telephony configuration into `GraphBackendOptions`. Throws
 * `TelephonyError('invalidConfig')` naming the missing or invalid setting.
 *
 * @example
 * { "backend": "graph", "graph": { "tenantId": "…", "appId": "…", "appSecret": "…", "callbackUrl": "https://bot.example.com/api/calls" } }
 */
export function readGraphConfig(config: TelephonyConfig): GraphBackendOptions {
  const section = config.graph;
  if (section === undefined || typeof section !== 'object' || section === null) {
    throw invalid('graph is required: the Graph backend needs its configuration section');
  }
  const tenantId = requiredString(section, 'tenantId', 'the Entra tenant id of the bot');
  const appId = requiredString(section, 'appId', 'the bot registration app id');
  const callbackUrl = httpsUrl(
    requiredString(section, 'callbackUrl', 'the https URL where Graph posts call notifications'),
    'callbackUrl',
  );
  const appSecret = optionalString(section, 'appSecret');
  let certificate: GraphBackendOptions['certificate'];
  if (section.certificate !== undefined) {
    const value = section.certificate;
    if (typeof value !== 'object' || value === null) throw invalid('graph.certificate must be an object');
    const record = value as Record<string, unknown>;
    certificate = {
      thumbprint: requiredString(record, 'thumbprint', 'the certificate thumbprint', 'graph.certificate'),
      privateKey: requiredString(record, 'privateKey', 'the PEM private key', 'graph.certificate'),
    };
  }
  if (appSecret === undefined && certificate === undefined) {
    throw invalid('graph.appSecret is required (or graph.certificate with thumbprint and privateKey)');
  }
  const authority = optionalString(section, 'authority');
  const graphBaseUrl = optionalString(section, 'graphBaseUrl');
  const openIdConfigurationUrl = optionalString(section, 'openIdConfigurationUrl');
  const applicationInstanceId = optionalString(section, 'applicationInstanceId');
  const botDisplayName = optionalString(section, 'botDisplayName');

  let notificationIssuers: string[] | undefined;
  if (section.notificationIssuers !== undefined) {
    const value = section.notificationIssuers;
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((item) => typeof item === 'string' && item !== '')
    ) {
      throw invalid('graph.notificationIssuers must be a non-empty list of issuer URLs');
    }
    notificationIssuers = value as string[];
  }
  let tls: GraphBackendOptions['tls'];
  if (section.tls !== undefined) {
    const value = section.tls;
    if (typeof value !== 'object' || value === null) throw invalid('graph.tls must be an object');
    const ca = (value as Record<string, unknown>).ca;
    if (ca !== undefined && (typeof ca !== 'string' || !ca.includes('BEGIN CERTIFICATE'))) {
      throw invalid('graph.tls.ca must be a PEM certificate');
    }
    tls = ca === undefined ? {} : { ca };
  }
  let keepAliveIntervalMs: number | undefined;
  if (section.keepAliveIntervalMs !== undefined) {
    const value = section.keepAliveIntervalMs;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 45 * 60 * 1000) {
      throw invalid(
        'graph.keepAliveIntervalMs must be a positive number of milliseconds, at most 45 minutes',
      );
    }
    keepAliveIntervalMs = value;
  }
  const acceptedTenants = readAcceptedTenants(section.acceptedTenants); // SWITCHBOARD_GRAPH_ACCEPTED_TENANTS
  if (section.auth !== undefined && section.auth !== 'off') {
    throw invalid("graph.auth may only be 'off' (notification authentication is on unless turned off)");
  }

  return {
    tenantId,
    appId,
    callbackUrl,
    ...(appSecret !== undefined ? { appSecret } : {}),
    ...(certificate !== undefined ? { certificate } : {}),
    ...(authority !== undefined ? { authority: httpsUrl(authority, 'authority') } : {}),
    ...(graphBaseUrl !== undefined ? { graphBaseUrl: httpsUrl(graphBaseUrl, 'graphBaseUrl') } : {}),
    ...(openIdConfigurationUrl !== undefined ? { openIdConfigurationUrl } : {}),
    ...(notificationIssuers !== undefined ? { notificationIssuers } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(keepAliveIntervalMs !== undefined ? { keepAliveIntervalMs } : {}),
    ...(section.auth === 'off' ? { auth: 'off' as const } : {}),
    ...(acceptedTenants !== undefined ? { acceptedTenants } : {}),
    ...(applicationInstanceId !== undefined ? { applicationInstanceId } : {}),
    ...(botDisplayName !== undefined ? { botDisplayName } : {}),
  };
}

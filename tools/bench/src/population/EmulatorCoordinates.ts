/** How to reach an emulator running in a child process. */
export type EmulatorCoordinates =
  | { readonly kind: 'acs'; readonly connectionString: string }
  | {
      readonly kind: 'graph';
      readonly tenantId: string;
      readonly appId: string;
      readonly appSecret: string;
      readonly authority: string;
      readonly baseUrl: string;
      readonly caCertificatePem: string;
    };

/**
 * Why something failed or ended: ACS `resultInformation` or Graph `resultInfo`, normalized.
 */
export interface ResultInfo {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/**
 * Reads a result object from either backend: `code` and `subcode`/`subCode` as numbers or numeric strings,
 * `message` as a string. Returns `undefined` when the value is not an object or carries none of the fields.
 */
export function parseResultInfo(value: unknown): ResultInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const code = toNumber(record.code);
  const subcode = toNumber(record.subcode ?? record.subCode);
  const message = typeof record.message === 'string' ? record.message : undefined;
  if (code === undefined && subcode === undefined && message === undefined) return undefined;
  return { code: code ?? 0, subcode: subcode ?? 0, message: message ?? '' };
}

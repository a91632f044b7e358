import type { Identity } from '@switchboard/core';
import { GraphHttpError } from './GraphHttpError.js';
import { GraphIdentitySet, type GraphIdentitySetJson } from './GraphIdentitySet.js';

/** Whether a JSON value is an object (not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Readers of Graph request bodies: each refuses a malformed field with Graph's 400 `BadRequest`. */
export const GraphRequestBody = {
  /** The body as a JSON object. */
  object(body: unknown): Record<string, unknown> {
    if (!isRecord(body)) throw GraphHttpError.badRequest('The request body must be a JSON object.');
    return body;
  },

  /** The body as a JSON object, or an empty one when there is none. */
  optionalObject(body: unknown): Record<string, unknown> {
    return body === undefined || body === null || body === '' ? {} : GraphRequestBody.object(body);
  },

  string(body: Record<string, unknown>, key: string, maxLength = 2048): string | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length > maxLength) {
      throw GraphHttpError.badRequest(`'${key}' must be a string of at most ${maxLength} characters.`);
    }
    return value;
  },

  /** `clientContext`: at most 256 characters (every action page of v1 `call` and `participant`). */
  clientContext(body: Record<string, unknown>): string | undefined {
    return GraphRequestBody.string(body, 'clientContext', 256);
  },

  url(body: Record<string, unknown>, key: string): string | undefined {
    const value = GraphRequestBody.string(body, key);
    if (value === undefined) return undefined;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      throw GraphHttpError.badRequest(`'${key}' must be an absolute http(s) URL.`);
    }
    return value;
  },

  strings(body: Record<string, unknown>, key: string): string[] {
    const value = body[key];
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
      throw GraphHttpError.badRequest(`'${key}' must be a non-empty array of strings.`);
    }
    return value as string[];
  },

  /** An `invitationParticipantInfo`/`participantInfo`: the identity it names and its identitySet JSON. */
  participantInfo(value: unknown, where: string): { identity: Identity; identitySet: GraphIdentitySetJson } {
    const identity = isRecord(value) ? GraphIdentitySet.parse(value.identity) : undefined;
    if (!identity || !isRecord(value) || !isRecord(value.identity)) {
      throw GraphHttpError.badRequest(`'${where}' must carry an identity set naming a party.`);
    }
    return { identity, identitySet: value.identity };
  },

  /** The `mediaInfo.uri` of each prompt (v1 `call-playprompt`: 1 to 20 prompts). */
  promptUris(body: Record<string, unknown>, required: boolean): string[] {
    const prompts = body.prompts;
    if (prompts === undefined && !required) return [];
    if (!Array.isArray(prompts) || (required && prompts.length === 0) || prompts.length > 20) {
      throw GraphHttpError.badRequest("'prompts' must be an array of 1 to 20 media prompts.");
    }
    return prompts.map((prompt, index) => {
      const uri = isRecord(prompt) && isRecord(prompt.mediaInfo) ? prompt.mediaInfo.uri : undefined;
      if (typeof uri !== 'string' || uri === '') {
        throw GraphHttpError.badRequest(`'prompts[${index}].mediaInfo.uri' is required.`);
      }
      return uri;
    });
  },
} as const;

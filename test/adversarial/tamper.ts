import { createHash } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { Stack } from '../support/stack.js';

// Tampering with a stored TokenCaches row (`cache` = `v1.<keyVersion>.<nonce>.<ciphertext>.<tag>`,
// AES-256-GCM, associated data = format, version, purpose and the integration id).

export type Tamper = 'nonce' | 'tag' | 'ciphertext' | 'key version' | 'moved to another integration';

const flipFirstBit = (part: string) => {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0]! ^= 0x01;
  return bytes.toString('base64url');
};

export function tokenCaches(stack: Stack): TableClient {
  return TableClient.fromConnectionString(stack.azurite.connectionString, 'TokenCaches', {
    allowInsecureConnection: true,
  });
}

export async function sealedCache(stack: Stack, integrationId: string): Promise<string> {
  return (await tokenCaches(stack).getEntity<{ cache: string }>(integrationId, 'msal')).cache;
}

/**
 * Rewrites the integration's row as an attacker with write access to the table would. "Moved" copies
 * another integration's (intact) row over it: only the associated data can tell them apart.
 */
export async function tamper(stack: Stack, integrationId: string, how: Tamper, donorId: string): Promise<string> {
  const parts = (await sealedCache(stack, integrationId)).split('.');
  let sealed: string;
  switch (how) {
    case 'nonce':
      parts[2] = flipFirstBit(parts[2]!);
      sealed = parts.join('.');
      break;
    case 'ciphertext':
      parts[3] = flipFirstBit(parts[3]!);
      sealed = parts.join('.');
      break;
    case 'tag':
      parts[4] = flipFirstBit(parts[4]!);
      sealed = parts.join('.');
      break;
    // A well-formed version of a key that does not exist (the local provider names keys by fingerprint).
    case 'key version':
      parts[1] = createHash('sha256').update('another key').digest('hex').slice(0, parts[1]!.length);
      sealed = parts.join('.');
      break;
    case 'moved to another integration':
      sealed = await sealedCache(stack, donorId);
      break;
  }
  await tokenCaches(stack).updateEntity({ partitionKey: integrationId, rowKey: 'msal', cache: sealed }, 'Replace');
  return sealed;
}

import type { TriggerMetadata } from '@azure/functions';
import type { DequeuedMessageItem } from '@azure/storage-queue';

export type DecodedMessage = { ok: true; text: string; input: unknown } | { ok: false };

// What .NET's Convert.FromBase64String accepts once whitespace is removed.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Turns a message body into the handler's input as the runtime does: base64-decode it (when
 * host.json says `messageEncoding: base64`), then pass parsed JSON when it is JSON, else the string.
 * A body that is not valid base64 cannot be decoded at all (`ok: false`): it goes to poison.
 */
export function decodeMessage(messageText: string, encoding: 'base64' | 'none'): DecodedMessage {
  let text = messageText;
  if (encoding === 'base64') {
    const compact = messageText.replace(/[\t\n\r ]/g, '');
    if (!BASE64.test(compact)) return { ok: false };
    text = Buffer.from(compact, 'base64').toString('utf8');
  }
  return { ok: true, text, input: parseJsonOrString(text) };
}

function parseJsonOrString(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The queue trigger's metadata, camel-cased as the Node worker hands it to `context.triggerMetadata`. */
export function queueTriggerMetadata(message: DequeuedMessageItem, text: string): TriggerMetadata {
  return {
    queueTrigger: text,
    id: message.messageId,
    dequeueCount: message.dequeueCount,
    insertionTime: message.insertedOn.toISOString(),
    expirationTime: message.expiresOn.toISOString(),
    nextVisibleTime: message.nextVisibleOn.toISOString(),
    popReceipt: message.popReceipt,
  };
}

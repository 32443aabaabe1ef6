import { z } from 'zod';
import { defaultMaxXmlBytes, parseXml, type XmlFields } from './safe-xml';
import { type XmlRejectReason, XmlRejectedError } from './xml-rejected-error';

/** The encrypted body WeCom POSTs to a callback URL (PROTOCOL.md §1.3). */
export interface CallbackEnvelope {
  /** The corp id (internal apps) or suite id (3rd-party suites) the message was sealed for. */
  toUserName: string;
  encrypt: string;
  agentId?: string;
}

export type EnvelopeRejectReason = XmlRejectReason | 'invalid_json' | 'missing_encrypt';

export class EnvelopeRejectedError extends Error {
  constructor(
    readonly reason: EnvelopeRejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeRejectedError';
  }
}

const optionalText = z
  .union([z.string(), z.number()])
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : String(value)));

const xmlEnvelope = z.object({ ToUserName: z.string().optional(), Encrypt: z.string().min(1), AgentID: optionalText });
const jsonEnvelope = z.object({ tousername: z.string().optional(), encrypt: z.string().min(1), agentid: optionalText });

function envelope(toUserName: string | undefined, encrypt: string, agentId: string | undefined): CallbackEnvelope {
  return agentId === undefined ? { toUserName: toUserName ?? '', encrypt } : { toUserName: toUserName ?? '', encrypt, agentId };
}

function parseJsonEnvelope(body: string): CallbackEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new EnvelopeRejectedError('invalid_json', 'the JSON callback body does not parse');
  }
  const parsed = jsonEnvelope.safeParse(json);
  if (!parsed.success) throw new EnvelopeRejectedError('missing_encrypt', 'the JSON callback body has no "encrypt"');
  return envelope(parsed.data.tousername, parsed.data.encrypt, parsed.data.agentid);
}

/**
 * Reads the encrypted POST envelope: the XML form `<xml><ToUserName/><AgentID/><Encrypt/></xml>` or
 * the JSON form `{"tousername","encrypt","agentid"}`. Every refusal is an {@link EnvelopeRejectedError}.
 */
export async function parseEnvelope(body: string, opts: { maxBytes?: number } = {}): Promise<CallbackEnvelope> {
  const maxBytes = opts.maxBytes ?? defaultMaxXmlBytes;
  if (body.length > maxBytes || Buffer.byteLength(body, 'utf8') > maxBytes) {
    throw new EnvelopeRejectedError('too_large', `body over ${maxBytes} bytes`);
  }
  if (body.trimStart().startsWith('{')) return parseJsonEnvelope(body);
  let fields: XmlFields;
  try {
    fields = await parseXml(body, { maxBytes });
  } catch (error) {
    if (error instanceof XmlRejectedError) throw new EnvelopeRejectedError(error.reason, error.message);
    throw error;
  }
  const parsed = xmlEnvelope.safeParse(fields);
  if (!parsed.success) throw new EnvelopeRejectedError('missing_encrypt', 'the callback envelope has no <Encrypt>');
  return envelope(parsed.data.ToUserName, parsed.data.Encrypt, parsed.data.AgentID);
}

/** Why an inbound XML document was refused before (or while) parsing it. */
export type XmlRejectReason = 'too_large' | 'dtd' | 'malformed' | 'not_xml_root';

export class XmlRejectedError extends Error {
  constructor(
    readonly reason: XmlRejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'XmlRejectedError';
  }
}

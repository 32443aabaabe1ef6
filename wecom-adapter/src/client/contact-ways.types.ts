/** Contact ways / channel QR codes (联系我), PROTOCOL §4.4. */

export interface ContactWaySettings {
  style?: number;
  remark?: string;
  skip_verify?: boolean;
  /** ≤30 chars; comes back in the add_external_contact event. */
  state?: string;
  user?: string[];
  party?: number[];
  expires_in?: number;
  chat_expires_in?: number;
  unionid?: string;
  conclusions?: Record<string, unknown>;
}

export interface AddContactWayRequest extends ContactWaySettings {
  /** 1 single member (exactly one `user`), 2 several. */
  type: 1 | 2;
  /** 1 mini program, 2 QR code. */
  scene: 1 | 2;
  is_temp?: boolean;
}

export interface AddContactWayResponse {
  config_id: string;
  /** Only for scene 2. */
  qr_code?: string;
}

/** Shape from WeCom's update_contact_way doc; PROTOCOL §4.4 lists the endpoint but not its body. */
export interface UpdateContactWayRequest extends ContactWaySettings {
  config_id: string;
}

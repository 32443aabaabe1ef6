import { type AddContactWayRequest, type AddContactWayResponse, type UpdateContactWayRequest } from './contact-ways.types';
import { type WecomCall, type WecomResult } from './request-runner';

/** Contact way calls use the customer app's token. */
export function createContactWaysApi(call: WecomCall) {
  const app = 'customer' as const;
  return {
    /** add_contact_way: not replayed after an ambiguous network failure (would create a second code). */
    add(req: AddContactWayRequest) {
      return call<AddContactWayResponse>({ app, api: 'externalcontact/add_contact_way', method: 'POST', body: req, replaySafe: false });
    },
    update(req: UpdateContactWayRequest) {
      return call<WecomResult>({ app, api: 'externalcontact/update_contact_way', method: 'POST', body: req });
    },
    remove(configId: string) {
      return call<WecomResult>({ app, api: 'externalcontact/del_contact_way', method: 'POST', body: { config_id: configId } });
    },
  };
}

export type ContactWaysApi = ReturnType<typeof createContactWaysApi>;

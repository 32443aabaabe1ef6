import type { ExternalContact, FollowRelation } from './sandbox.types';

/**
 * External contacts (客户) and their follow relations, with an index from member to customers so
 * that list and batch/get_by_user page in insertion order without scanning 100k records.
 */
export function createCustomerState() {
  const customers = new Map<string, ExternalContact>();
  const byUser = new Map<string, string[]>();

  function index(userid: string, externalUserid: string) {
    const list = byUser.get(userid);
    if (list) list.push(externalUserid);
    else byUser.set(userid, [externalUserid]);
  }

  function unindex(userid: string, externalUserid: string) {
    const list = byUser.get(userid);
    if (!list) return;
    const at = list.indexOf(externalUserid);
    if (at >= 0) list.splice(at, 1);
  }

  return {
    customers,
    get: (externalUserid: string) => customers.get(externalUserid),
    add(customer: ExternalContact) {
      customers.set(customer.externalUserid, customer);
      for (const f of customer.follows) index(f.userid, customer.externalUserid);
      return customer;
    },
    relation: (externalUserid: string, userid: string) => customers.get(externalUserid)?.follows.find((f) => f.userid === userid),
    /** Adds (or replaces) the member's relation with the customer. */
    follow(customer: ExternalContact, relation: FollowRelation) {
      const existing = customer.follows.findIndex((f) => f.userid === relation.userid);
      if (existing >= 0) customer.follows[existing] = relation;
      else {
        customer.follows.push(relation);
        index(relation.userid, customer.externalUserid);
      }
      return relation;
    },
    unfollow(externalUserid: string, userid: string): FollowRelation | undefined {
      const customer = customers.get(externalUserid);
      if (!customer) return undefined;
      const at = customer.follows.findIndex((f) => f.userid === userid);
      if (at < 0) return undefined;
      const [removed] = customer.follows.splice(at, 1);
      unindex(userid, externalUserid);
      return removed;
    },
    /** External user ids followed by the member, in the order they were added. */
    idsOf: (userid: string): readonly string[] => byUser.get(userid) ?? [],
    /** Members with at least one customer (get_follow_user_list). */
    followUsers: () => [...byUser.entries()].filter(([, ids]) => ids.length > 0).map(([userid]) => userid),
  };
}

export type CustomerState = ReturnType<typeof createCustomerState>;

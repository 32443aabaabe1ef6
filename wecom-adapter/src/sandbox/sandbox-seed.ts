import type { SandboxState } from './sandbox-state';
import type { ExternalContact, FollowRelation, GroupChatMember, SeedOptions } from './sandbox.types';

/** Fixed epoch (seconds) for seeded timestamps, so that the same seed gives the same corp on any day. */
export const SEED_EPOCH = 1_700_000_000;

const seedTagGroups: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['客户等级', ['A类客户', 'B类客户', 'C类客户', 'D类客户']],
  ['客户来源', ['线上广告', '门店到访', '老客转介绍', '展会']],
  ['意向产品', ['基础版', '专业版', '旗舰版']],
];
const addWays = [0, 1, 1, 1, 2, 3, 3, 201];

/** Fills an empty state with a deterministic corp: departments, employees, tags, customers, chats. */
export function seedSandbox(state: SandboxState, seed: SeedOptions): void {
  const { random, names, directory, customers, tags, chats } = state;
  const departmentCount = Math.max(1, seed.departments ?? Math.max(3, Math.ceil(seed.employees / 15)));

  directory.addDepartment({ id: 1, name: '沙箱科技', nameEn: 'Sandbox', parentid: 0, order: 100000000, leaders: [] });
  for (let i = 2; i <= departmentCount; i += 1) {
    const parentid = i <= 4 ? 1 : random.int(1, i - 1);
    directory.addDepartment({ id: i, name: names.departmentName(i - 2), nameEn: `dept${i}`, parentid, order: 100000000 - i, leaders: [] });
  }

  const userids: string[] = [];
  for (let i = 0; i < seed.employees; i += 1) {
    const person = names.person();
    let userid = person.pinyin;
    for (let n = 2; directory.employees.has(userid); n += 1) userid = `${person.pinyin}${n}`;
    const primary = random.int(1, departmentCount);
    const department = random.chance(0.1) && departmentCount > 1 ? [primary, primary === 1 ? 2 : 1] : [primary];
    directory.addEmployee({
      userid,
      name: person.name,
      department,
      mobile: names.mobile(),
      position: names.position(),
      gender: random.pick(['1', '2'] as const),
      email: `${userid}@sandbox.invalid`,
      status: 1,
      openUserid: random.wecomId('wo', 28),
    });
    const dept = directory.departments.get(primary);
    if (dept && dept.leaders.length === 0) dept.leaders.push(userid);
    userids.push(userid);
  }

  seedTagGroups.forEach(([groupName, tagNames], g) => {
    const group = tags.createGroup(groupName, seedTagGroups.length - g, SEED_EPOCH);
    tagNames.forEach((name, t) => tags.addTag(group, name, tagNames.length - t, SEED_EPOCH));
  });
  const tagIds = tags.liveTagIds();

  if (userids.length === 0) return;
  const relation = (userid: string, customerName: string): FollowRelation => ({
    userid,
    remark: random.chance(0.3) ? customerName : '',
    description: '',
    createtime: SEED_EPOCH - random.int(0, 2 * 365 * 86400),
    tagIds: random.chance(0.5) ? [random.pick(tagIds)] : [],
    remarkCorpName: '',
    remarkMobiles: [],
    operUserid: userid,
    addWay: random.pick(addWays),
    state: '',
  });
  const externalIds: string[] = [];
  for (let i = 0; i < seed.customers; i += 1) {
    const type: 1 | 2 = random.chance(0.9) ? 1 : 2;
    const name = names.customerName();
    const first = random.pick(userids);
    const customer: ExternalContact = {
      externalUserid: random.wecomId(type === 1 ? 'wm' : 'wo'),
      name,
      type,
      gender: random.pick([0, 1, 2] as const),
      unionid: type === 1 ? random.wecomId('o', 28) : '',
      corpName: type === 2 ? names.corpName() : '',
      follows: [relation(first, name)],
    };
    if (userids.length > 1 && random.chance(0.1)) {
      const second = random.pick(userids);
      if (second !== first) customer.follows.push(relation(second, name));
    }
    customers.add(customer);
    externalIds.push(customer.externalUserid);
  }

  const chatCount = seed.groupChats ?? Math.min(20, Math.ceil(seed.customers / 50));
  for (let i = 0; i < chatCount; i += 1) {
    const owner = random.pick(userids);
    const createTime = SEED_EPOCH - random.int(0, 365 * 86400);
    const members: GroupChatMember[] = [{ userid: owner, type: 1, joinTime: createTime, joinScene: 0, name: directory.employees.get(owner)?.name ?? owner }];
    const seen = new Set([owner]);
    const size = random.int(2, 20);
    for (let m = 0; m < size && externalIds.length > 0; m += 1) {
      const id = random.chance(0.2) ? random.pick(userids) : random.pick(externalIds);
      if (seen.has(id)) continue;
      seen.add(id);
      const customer = customers.get(id);
      members.push(customer
        ? { userid: id, type: 2, unionid: customer.unionid || undefined, joinTime: createTime + m, joinScene: 3, name: customer.name }
        : { userid: id, type: 1, joinTime: createTime + m, joinScene: 1, invitor: owner, name: directory.employees.get(id)?.name ?? id });
    }
    chats.add({ chatId: random.wecomId('wr'), name: `客户群${i + 1}`, owner, createTime, notice: '', status: 0, members, admins: [] });
  }
}

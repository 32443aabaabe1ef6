import type { SeededRandom } from './seeded-random';

/** Deterministic, plausible Chinese names, pinyin user ids, mobiles and department names. */
const surnames: ReadonlyArray<readonly [string, string]> = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'],
  ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'],
  ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['林', 'lin'], ['高', 'gao'], ['罗', 'luo'],
];
const givenNames: ReadonlyArray<readonly [string, string]> = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀英', 'xiuying'], ['霞', 'xia'], ['平', 'ping'],
  ['刚', 'gang'], ['桂英', 'guiying'], ['子涵', 'zihan'], ['浩然', 'haoran'], ['雨萱', 'yuxuan'],
];
const nicknames = ['小鱼', '阳光', '晴天', 'Lucky', '木子', '向日葵', 'Amy', '老王', '追风', '一米阳光', 'Kevin', '简单'];
const departmentNames = ['销售部', '市场部', '客服中心', '运营部', '技术部', '财务部', '人事部', '华东大区', '华南大区', '华北大区', '售后服务部', '渠道部'];
const positions = ['销售顾问', '客户经理', '客服专员', '店长', '运营专员', '主管', '区域经理'];
const corpNames = ['', '', '', '腾讯科技', '阿里巴巴', '小米科技', '美团', '京东', '字节跳动', '华为'];

export function fakeNames(random: SeededRandom) {
  const person = () => {
    const [sc, sp] = random.pick(surnames);
    const [gc, gp] = random.pick(givenNames);
    return { name: sc + gc, pinyin: sp + gp };
  };
  return {
    person,
    /** A customer's WeChat display name: a real-looking name or a nickname. */
    customerName: () => (random.chance(0.3) ? random.pick(nicknames) + random.chars(2, '0123456789') : person().name),
    mobile: () => `1${random.pick(['3', '5', '7', '8', '9'])}${random.chars(9, '0123456789')}`,
    departmentName: (index: number) => `${departmentNames[index % departmentNames.length]}${index >= departmentNames.length ? Math.floor(index / departmentNames.length) + 1 : ''}`,
    position: () => random.pick(positions),
    corpName: () => random.pick(corpNames),
  };
}

import { matchRules, patternProblem } from './archive-rule-pattern';

describe('compliance rule patterns', () => {
  it.each([
    ['(a+)+$', 'nested'],
    ['(\\w*x)*', 'nested'],
    ['(a|a?)+', 'nested'],
    ['((ab)*)+', 'nested'],
    ['(x)\\1', 'back references'],
    ['([a-z', 'not a valid'],
    ['a'.repeat(201), 'at most 200'],
    ['  ', 'empty'],
  ])('refuses the regex %s', (pattern, problem) => {
    expect(patternProblem('regex', pattern)).toContain(problem);
  });

  it.each(['加\\s*微信', '1[3-9]\\d{9}', '(转账|汇款)到', '[(+]+返现', '(?:私下)交易'])('accepts the regex %s', (pattern) => {
    expect(patternProblem('regex', pattern)).toBeNull();
  });

  it('accepts any short word and matches words case-insensitively and regexes as written', () => {
    expect(patternProblem('word', '(a+)+')).toBeNull();
    const rules = [
      { id: 1, kind: 'word' as const, pattern: 'WeChat' },
      { id: 2, kind: 'regex' as const, pattern: '1[3-9]\\d{9}' },
      { id: 3, kind: 'word' as const, pattern: '返现' },
    ];
    expect(matchRules(rules, '加我 wechat：13812345678')).toEqual({ hits: [1, 2], unchecked: false });
    expect(matchRules(rules, '您好')).toEqual({ hits: [], unchecked: false });
  });

  it('stops at the time budget and says the message was not fully checked', () => {
    const rules = Array.from({ length: 50 }, (_, i) => ({ id: i, kind: 'regex' as const, pattern: `词${i}` }));
    expect(matchRules(rules, '词0 词1', -1)).toEqual({ hits: [], unchecked: true });
  });
});

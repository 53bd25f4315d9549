// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the template variable syntax under test
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseTemplate,
  renderMessage,
  renderTemplate,
  type TemplateVariable,
  validateParams,
} from '../../src/domain/template.js';

function vars(content: string, attrs?: Parameters<typeof parseTemplate>[1]): TemplateVariable[] {
  const r = parseTemplate(content, attrs);
  if (!r.ok) assert.fail(`unexpected errors: ${r.errors.join('; ')}`);
  return r.variables;
}

function errorsOf(content: string): string[] {
  const r = parseTemplate(content);
  assert.equal(r.ok, false, `expected ${JSON.stringify(content)} to be rejected`);
  return r.ok ? [] : r.errors;
}

describe('parseTemplate: accepted forms', () => {
  it('parses index variables with default TEXT attribute and explicit attributes', () => {
    const v = vars('您的验证码为${1}，请于${2}分钟内填写。', { 2: 'CHARDIGIT' });
    assert.equal(v.length, 2);
    assert.deepEqual(v[0], {
      position: 1,
      token: '${1}',
      kind: 'INDEX',
      attribute: 'TEXT',
      maxLength: 20,
      start: 6,
      end: 10,
    });
    assert.equal(v[1].attribute, 'CHARDIGIT');
    assert.equal(v[1].position, 2);
    assert.equal(vars('call ${1} now', { 1: 'PHONE' })[0].maxLength, 15);
  });

  it('parses TXT_n and NUM_n with n as max length', () => {
    const v = vars('You have ${NUM_2} parcels delivered to ${TXT_20}');
    assert.deepEqual(
      v.map((x) => [x.kind, x.attribute, x.maxLength]),
      [
        ['NUM', 'NUM', 2],
        ['TXT', 'TXT', 20],
      ],
    );
    assert.equal(vars('code ${NUM_1}.')[0].maxLength, 1);
  });

  it('parses type-name variables with fixed lengths', () => {
    const v = vars('a${PHONE}b${CHARDIGIT}c${DATETIME}d${MONEY}e${TEXT}f');
    assert.deepEqual(
      v.map((x) => [x.kind, x.attribute, x.maxLength]),
      [
        ['PHONE', 'PHONE', 15],
        ['CHARDIGIT', 'CHARDIGIT', 20],
        ['DATETIME', 'DATETIME', 20],
        ['MONEY', 'MONEY', 20],
        ['TEXT', 'TEXT', 20],
      ],
    );
    for (const x of v)
      assert.equal('a${PHONE}b${CHARDIGIT}c${DATETIME}d${MONEY}e${TEXT}f'.slice(x.start, x.end), x.token);
  });

  it('accepts a template without variables, and exactly 20 variables', () => {
    assert.deepEqual(vars('Hello, world'), []);
    const content = Array.from({ length: 20 }, (_, i) => `x\${${i + 1}}`).join('');
    assert.equal(vars(content).length, 20);
  });

  it('accepts 500 characters (code points)', () => {
    assert.equal(parseTemplate('中'.repeat(500)).ok, true);
    assert.equal(parseTemplate('😀'.repeat(500)).ok, true);
  });
});

describe('parseTemplate: every error rule', () => {
  it('content length 1..500', () => {
    assert.match(errorsOf('').join(), /1-500/);
    assert.match(errorsOf('a'.repeat(501)).join(), /1-500/);
  });

  it('no 【 】 [ ]', () => {
    for (const ch of ['【', '】', '[', ']'])
      assert.match(errorsOf(`hi ${ch} there`).join(), /must not contain/);
  });

  it('unknown tokens', () => {
    for (const t of [
      '${FOO}',
      '${0}',
      '${21}',
      '${01}',
      '${TXT_0}',
      '${TXT_21}',
      '${NUM_}',
      '${}',
      '${ 1}',
      '${txt_5}',
      '${NEWTEXT}',
    ]) {
      assert.ok(errorsOf(`a ${t} b`).length > 0, t);
    }
  });

  it('unterminated ${', () => {
    assert.match(errorsOf('hello ${1').join(), /unterminated/);
    assert.match(errorsOf('hello ${ x ${1} y').join(), /unterminated/);
  });

  it('more than 20 variables', () => {
    const content = Array.from({ length: 21 }, (_, i) => `x\${${(i % 20) + 1}}`).join('');
    assert.match(errorsOf(content).join(), /at most 20/);
  });

  it('consecutive variables (nothing, or only whitespace, between them)', () => {
    assert.match(errorsOf('a ${1}${2} b').join(), /separated/);
    assert.match(errorsOf('a ${1} ${2} b').join(), /separated/);
    assert.equal(parseTemplate('a ${1}-${2} b').ok, true);
  });

  it('only variables', () => {
    assert.match(errorsOf('${1}').join(), /besides variables/);
    assert.match(errorsOf(' ${TEXT} ').join(), /besides variables/);
  });

  it('reports several problems at once', () => {
    assert.ok(errorsOf('【x】${FOO}${1}').length >= 3);
  });
});

describe('validateParams: every rule', () => {
  const one = (token: string, attrs?: Parameters<typeof parseTemplate>[1]) => vars(`v: ${token} end`, attrs);
  const ok = (v: TemplateVariable[], p: unknown[]) => {
    const r = validateParams(v, p);
    assert.equal(r.ok, true, `expected ${JSON.stringify(p)} to pass${r.ok ? '' : `: ${r.reason}`}`);
  };
  const bad = (v: TemplateVariable[], p: unknown[]) => {
    const r = validateParams(v, p);
    assert.equal(r.ok, false, `expected ${JSON.stringify(p)} to fail`);
  };

  it('count must equal; no-variable templates need empty params', () => {
    const v = vars('a ${1} b ${2} c');
    bad(v, ['x']);
    bad(v, ['x', 'y', 'z']);
    ok(v, ['x', 'y']);
    ok([], []);
    bad([], ['x']);
  });

  it('each value a non-empty string', () => {
    const v = one('${1}');
    bad(v, ['']);
    bad(v, [123]);
    bad(v, [null]);
    bad(v, [['x']]);
    const r = validateParams(v, ['002569']);
    assert.deepEqual(r, { ok: true, values: ['002569'] });
  });

  it('length ≤ max, counted in characters', () => {
    bad(one('${NUM_6}'), ['1234567']);
    ok(one('${NUM_6}'), ['123456']);
    ok(one('${TEXT}'), ['中'.repeat(20)]);
    bad(one('${TEXT}'), ['中'.repeat(21)]);
    ok(one('${TXT_2}'), ['😀😀']);
    bad(one('${PHONE}'), ['1'.repeat(16)]);
    ok(one('${PHONE}'), ['1'.repeat(15)]);
    // spec example: 2 variables of max length 5 and 6
    const v = vars('a ${TXT_5} b ${TXT_6} c');
    ok(v, ['12345', '123456']);
    bad(v, ['123456', '123456']);
  });

  it('NUM: digits only', () => {
    ok(one('${NUM_6}'), ['369751']);
    bad(one('${NUM_6}'), ['36-751']);
    bad(one('${NUM_6}'), ['３６９']);
  });

  it('TXT: no braces', () => {
    ok(one('${TXT_20}'), ["People's Park gate"]);
    bad(one('${TXT_20}'), ['a{b']);
    bad(one('${TXT_20}'), ['a}b']);
  });

  it('PHONE: digits, +, -, spaces', () => {
    ok(one('${PHONE}'), ['+86 10-1234567']);
    ok(one('${1}', { 1: 'PHONE' }), ['4008001234']);
    bad(one('${PHONE}'), ['call 123']);
    bad(one('${PHONE}'), ['(010)123']);
  });

  it('CHARDIGIT: letters and digits only', () => {
    ok(one('${CHARDIGIT}'), ['AB12cd']);
    bad(one('${CHARDIGIT}'), ['AB-12']);
    bad(one('${CHARDIGIT}'), ['订单12']);
  });

  it('MONEY: digits, decimal point, Chinese numerals', () => {
    ok(one('${MONEY}'), ['12.50']);
    ok(one('${MONEY}'), ['壹佰贰拾元伍角']);
    ok(one('${MONEY}'), ['三千万']);
    ok(one('${MONEY}'), ['192.168.0.1']);
    bad(one('${MONEY}'), ['¥12']);
    bad(one('${MONEY}'), ['12,000']);
  });

  it('DATETIME: digits and date/time punctuation', () => {
    for (const s of [
      '20240228',
      '2024-02-28',
      '2024/02/28',
      '2024年02月28日',
      '08:11:56',
      '08点11分',
      '08点11',
      '2024-02-28 08:11',
    ]) {
      ok(one('${DATETIME}'), [s]);
    }
    bad(one('${DATETIME}'), ['tomorrow']);
    bad(one('${DATETIME}'), ['2024.02.28']);
  });

  it("TEXT (and default index attribute): no . 。 ' < > { }", () => {
    ok(one('${TEXT}'), ['人民公园正门']);
    ok(one('${1}'), ['Alice Smith']);
    for (const ch of ['.', '。', "'", '<', '>', '{', '}']) {
      bad(one('${TEXT}'), [`a${ch}b`]);
      bad(one('${1}'), [`a${ch}b`]);
    }
  });

  it('reason names the failing parameter', () => {
    const r = validateParams(vars('a ${1} b ${NUM_2} c'), ['ok', 'xx']);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, /parameter 2/);
  });
});

describe('rendering', () => {
  it('substitutes values by position', () => {
    const content = '您的验证码为${1}，请于${NUM_2}分钟内填写。';
    const v = vars(content);
    assert.equal(renderTemplate(content, v, ['369751', '5']), '您的验证码为369751，请于5分钟内填写。');
    assert.equal(renderTemplate('no vars', [], []), 'no vars');
  });

  it('does not re-expand tokens inside values', () => {
    const content = 'a ${TXT_9} b ${TXT_5} c';
    const v = vars(content);
    assert.equal(renderTemplate(content, v, ['$1', 'x']), 'a $1 b x c');
  });

  it('renders the signature in 【】', () => {
    assert.equal(renderMessage('华为云', '验证码123'), '【华为云】验证码123');
    assert.equal(renderMessage(null, 'Your code is 1'), 'Your code is 1');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_CODES, apiCode, isApiCode } from '../../src/domain/api-codes.js';
import { describeStatus, STATUS_CODES } from '../../src/domain/status-codes.js';

const SPEC_API_CODES = [
  '000000',
  'E000000',
  'E000001',
  'E000002',
  'E000003',
  'E000004',
  'E000005',
  'E000006',
  'E000007',
  'E000008',
  'E000020',
  'E000021',
  'E000022',
  'E000023',
  'E000024',
  'E000025',
  'E000026',
  'E000027',
  'E000040',
  'E000041',
  'E000042',
  'E000043',
  'E000044',
  'E000045',
  'E000101',
  'E000102',
  'E000103',
  'E000104',
  'E000105',
  'E000106',
  'E000109',
  'E000110',
  'E000111',
  'E000112',
  'E000503',
  'E000510',
  'E000620',
  'E000623',
  'E000630',
  'E200015',
  'E200028',
  'E200029',
  'E200030',
  'E200031',
  'E200033',
  'E200041',
];

describe('API_CODES', () => {
  it('contains exactly the spec codes', () => {
    assert.deepEqual(Object.keys(API_CODES).sort(), [...SPEC_API_CODES].sort());
  });

  it('every entry is complete and keyed by its own code', () => {
    for (const [key, info] of Object.entries(API_CODES)) {
      assert.equal(info.code, key);
      assert.ok([200, 400, 401, 403, 429].includes(info.http), key);
      assert.ok(info.description.length > 0 && info.description.length <= 512, key);
      assert.ok(info.suggestion.length > 0, key);
      assert.match(key, /^(000000|E\d{6})$/);
      assert.doesNotMatch(info.description, /[\u4e00-\u9fff]/, `${key} description must be English`);
    }
  });

  it('uses the exact Huawei strings', () => {
    assert.equal(apiCode('000000').description, 'Success');
    assert.equal(apiCode('E000510').description, 'The SMS fails to be sent. For details, see status.');
    assert.equal(apiCode('E000620').description, 'The app client ip is not in ip white list.');
    assert.equal(apiCode('E000027').description, 'Invalid request.');
    assert.equal(apiCode('E000102').description, 'Invalid app_key.');
    assert.equal(apiCode('E000112').description, 'The subscriber status is frozen.');
  });

  it('maps HTTP statuses per the spec recommendation', () => {
    const http = (c: string) => apiCode(c).http;
    assert.equal(http('000000'), 200);
    assert.equal(http('E000510'), 200);
    for (const c of [
      'E000000',
      'E000001',
      'E000008',
      'E000020',
      'E000027',
      'E000040',
      'E000041',
      'E000043',
      'E000503',
    ])
      assert.equal(http(c), 400, c);
    for (const c of ['E000044', 'E000045', 'E000101', 'E000110', 'E000112']) assert.equal(http(c), 401, c);
    assert.equal(http('E000620'), 403);
    assert.equal(http('E000623'), 429);
    assert.equal(http('E000630'), 429);
  });

  it('apiCode throws on unknown codes; isApiCode tells', () => {
    assert.throws(() => apiCode('E999999'), /unknown API code/);
    assert.equal(isApiCode('E999999'), false);
    assert.equal(isApiCode('toString'), false);
    assert.equal(isApiCode('E000620'), true);
  });

  it('is frozen', () => {
    assert.ok(Object.isFrozen(API_CODES));
    assert.ok(Object.isFrozen(API_CODES['000000']));
  });
});

describe('STATUS_CODES', () => {
  it('every entry is complete; only DELIVRD is success', () => {
    for (const [key, info] of Object.entries(STATUS_CODES)) {
      assert.equal(info.code, key);
      assert.ok(['carrier', 'platform', 'supplier'].includes(info.source), key);
      assert.ok(info.description.length > 0 && info.suggestion.length > 0, key);
      assert.equal(info.success, key === 'DELIVRD', key);
    }
  });

  it('includes the SMPP states, platform codes and Swiftlet interception codes', () => {
    for (const c of ['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'])
      assert.equal(STATUS_CODES[c].source, 'carrier', c);
    for (const c of [
      'E200027',
      'E200034',
      'E200036',
      'E200038',
      'E000628',
      'SC:0001',
      'SC:0004',
      'MILIMIT',
      'LIMIT',
      'CTLIMIT',
      'KEYWORD',
    ]) {
      assert.equal(STATUS_CODES[c].source, 'platform', c);
    }
    assert.match(STATUS_CODES['SC:0001'].description, /blocklist/);
    assert.match(STATUS_CODES.E200027.description, /route/);
  });

  it('describes unknown codes as carrier pass-through', () => {
    const d = describeStatus('MK:0196');
    assert.equal(d.source, 'carrier');
    assert.equal(d.success, false);
    assert.match(d.description, /MK:0196.*carrier/);
    assert.equal(describeStatus('constructor').source, 'carrier');
    assert.equal(describeStatus('DELIVRD').success, true);
  });
});

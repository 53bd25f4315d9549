import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newAppKey, newAppSecret, newId, newSmsMsgId, newTemplateId } from '../../src/domain/ids.js';

describe('ids', () => {
  it('smsMsgId is <uuid v4>_<increasing integer>, ≤ 50 chars', () => {
    const a = newSmsMsgId();
    const b = newSmsMsgId();
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}_(\d+)$/;
    const ma = re.exec(a);
    const mb = re.exec(b);
    assert.ok(ma && mb, a);
    assert.ok(Number(mb[1]) > Number(ma[1]));
    assert.ok(a.length <= 50);
  });

  it('app key and secret are 28 alphanumerics and differ', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const k = newAppKey();
      assert.match(k, /^[A-Za-z0-9]{28}$/);
      keys.add(k);
    }
    assert.equal(keys.size, 200);
    assert.match(newAppSecret(), /^[A-Za-z0-9]{28}$/);
  });

  it('draws every alphanumeric character', () => {
    const seen = new Set(Array.from({ length: 100 }, () => newAppSecret()).join(''));
    assert.equal(seen.size, 62);
  });

  it('template id and generic id are 32 lowercase hex', () => {
    assert.match(newTemplateId(), /^[0-9a-f]{32}$/);
    assert.match(newId(), /^[0-9a-f]{32}$/);
    assert.notEqual(newId(), newId());
  });
});

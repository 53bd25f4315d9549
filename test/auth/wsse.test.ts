import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildWsseHeaders,
  parseWsseAuthorization,
  parseXWsse,
  verifyWsseDigest,
  WSSE_AUTHORIZATION,
  wsseDigest,
} from '../../src/auth/wsse.js';

// Spec §4.1 test vector.
const NONCE = '66C92B11FF8A425FB8D4CCFE0ED9ED1F';
const CREATED = '2018-02-12T15:30:20Z';
const SECRET = 'q4Ii87BhST9vcs8wvrzN80SfD7Al';
const HEX_FORM = 'NmZkZTM0YjJmNzdjMmNlNDdmMWY1OTM3OGRkNGUzNzQxZTk4NGZlY2Y2YzQzMDVmYzQ1NjE3MWIzNjM3ODBlOA==';
const RAW_FORM = 'b940svd8LOR/H1k3jdTjdB6YT+z2xDBfxFYXGzY3gOg=';

describe('wsseDigest', () => {
  it('matches the spec vector in both encodings, hex by default', () => {
    assert.equal(wsseDigest(NONCE, CREATED, SECRET), HEX_FORM);
    assert.equal(wsseDigest(NONCE, CREATED, SECRET, 'hex'), HEX_FORM);
    assert.equal(wsseDigest(NONCE, CREATED, SECRET, 'raw'), RAW_FORM);
    assert.equal(
      Buffer.from(HEX_FORM, 'base64').toString('ascii'),
      '6fde34b2f77c2ce47f1f59378dd4e3741e984fecf6c4305fc456171b363780e8',
    );
  });
});

describe('buildWsseHeaders', () => {
  it('emits the exact sample header format', () => {
    const h = buildWsseHeaders('c8RWg3ggEcyd4D3p94bf3Y7x1Ile', SECRET, { nonce: NONCE, created: CREATED });
    assert.equal(h.Authorization, WSSE_AUTHORIZATION);
    assert.equal(
      h['X-WSSE'],
      `UsernameToken Username="c8RWg3ggEcyd4D3p94bf3Y7x1Ile",PasswordDigest="${HEX_FORM}",Nonce="${NONCE}",Created="${CREATED}"`,
    );
    const raw = buildWsseHeaders('k', SECRET, { nonce: NONCE, created: CREATED, digest: 'raw' });
    assert.match(raw['X-WSSE'], new RegExp(`PasswordDigest="${RAW_FORM.replace(/[+/=]/g, '\\$&')}"`));
  });

  it('generates a fresh valid nonce and a strict Created by default', () => {
    const a = parseXWsse(buildWsseHeaders('k', 's')['X-WSSE']);
    const b = parseXWsse(buildWsseHeaders('k', 's')['X-WSSE']);
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.nonce, b.nonce);
    assert.ok(Math.abs(a.createdMs - Date.now()) < 5000);
    assert.ok(verifyWsseDigest(a, 's'));
  });
});

describe('parseWsseAuthorization', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'E000001'],
    ['', 'E000001'],
    ['   ', 'E000001'],
    ['Basic abc', 'E000008'],
    ['WSSE profile="UsernameToken",type="Appkey"', 'E000002'],
    ['WSSE realm="SDP",type="Appkey"', 'E000003'],
    ['WSSE realm="XYZ",profile="UsernameToken",type="Appkey"', 'E000004'],
    ['WSSE realm="SDP",profile="Other",type="Appkey"', 'E000005'],
    ['WSSE realm="SDP",profile="UsernameToken",type="app_key"', 'E000006'],
    ['WSSE realm="SDP",profile="UsernameToken"', 'E000007'],
    ['WSSE realm="SDP,profile="UsernameToken"', 'E000002'],
  ];
  for (const [header, code] of cases) {
    it(`${JSON.stringify(header)} → ${code}`, () => {
      assert.deepEqual(parseWsseAuthorization(header), { ok: false, code });
    });
  }

  it('accepts the sample form, the doc-table form with spaces, and an array header', () => {
    assert.deepEqual(parseWsseAuthorization(WSSE_AUTHORIZATION), { ok: true });
    assert.deepEqual(parseWsseAuthorization('WSSE realm="SDP", profile="UsernameToken", type="Appkey"'), {
      ok: true,
    });
    assert.deepEqual(parseWsseAuthorization([WSSE_AUTHORIZATION]), { ok: true });
  });
});

describe('parseXWsse', () => {
  const good = (over: Record<string, string | undefined> = {}) => {
    const attrs: Record<string, string | undefined> = {
      Username: 'ARBRz4bAXoFgEH7o4Ew308eXc1RA',
      PasswordDigest: HEX_FORM,
      Nonce: NONCE,
      Created: CREATED,
      ...over,
    };
    return `UsernameToken ${Object.entries(attrs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}`;
  };

  it('parses the official §3.2 wire example', () => {
    const r = parseXWsse(
      'UsernameToken Username="ARBRz4bAXoFgEH7o4Ew308eXc1RA",PasswordDigest="NDA1MWIwNjI2ZTkyNWFlM2FhMTE5NDE1YTk5NjU1YWE4NjNlZTY1MmRhYzkxZGViNzczZjdjMjkzZWQ4ZjAwNA==",Nonce="ac1c911c4792492687f8f6b2264a491e",Created="2018-05-26T00:35:30Z"',
    );
    assert.ok(r.ok);
    assert.equal(r.username, 'ARBRz4bAXoFgEH7o4Ew308eXc1RA');
    assert.equal(r.nonce, 'ac1c911c4792492687f8f6b2264a491e');
    assert.equal(r.created, '2018-05-26T00:35:30Z');
    assert.equal(r.createdMs, Date.UTC(2018, 4, 26, 0, 35, 30));
    assert.equal(
      Buffer.from(r.passwordDigest, 'base64').toString(),
      '4051b0626e925ae3aa119415a99655aa863ee652dac91deb773f7c293ed8f004',
    );
  });

  it('tolerates spaces after commas', () => {
    const r = parseXWsse(good().replaceAll('",', '", '));
    assert.ok(r.ok);
    assert.equal(r.passwordDigest, HEX_FORM);
  });

  const cases: [string | undefined, string][] = [
    [undefined, 'E000020'],
    ['', 'E000020'],
    [good().replace('UsernameToken', 'Token'), 'E000026'],
    ['UsernameToken Username="a",Nonce', 'E000026'],
    [good({ Username: undefined }), 'E000021'],
    [good({ Username: '' }), 'E000021'],
    [good({ Nonce: undefined }), 'E000022'],
    [good({ Nonce: 'abc-def' }), 'E000022'],
    [good({ Nonce: 'a'.repeat(129) }), 'E000022'],
    [good({ Created: undefined }), 'E000023'],
    [good({ PasswordDigest: undefined }), 'E000024'],
    [good({ Created: '2018-02-12T15:30:20.123Z' }), 'E000025'],
    [good({ Created: '2018-02-12 15:30:20Z' }), 'E000025'],
    [good({ Created: '2018-02-12T15:30:20+08:00' }), 'E000025'],
    [good({ Created: '2018-02-30T15:30:20Z' }), 'E000025'],
  ];
  for (const [header, code] of cases) {
    it(`${JSON.stringify(header)?.slice(0, 80)} → ${code}`, () => {
      assert.deepEqual(parseXWsse(header), { ok: false, code });
    });
  }

  it('accepts a 1-char and a 128-char nonce', () => {
    assert.ok(parseXWsse(good({ Nonce: 'a' })).ok);
    assert.ok(parseXWsse(good({ Nonce: 'A1'.repeat(64) })).ok);
  });
});

describe('verifyWsseDigest', () => {
  const token = { nonce: NONCE, created: CREATED };
  it('accepts Base64(lower hex), Base64(upper hex) and Base64(raw)', () => {
    const upper = Buffer.from(Buffer.from(HEX_FORM, 'base64').toString().toUpperCase()).toString('base64');
    for (const passwordDigest of [HEX_FORM, upper, RAW_FORM]) {
      assert.equal(verifyWsseDigest({ ...token, passwordDigest }, SECRET), true, passwordDigest);
    }
  });
  it('rejects a wrong secret, a wrong nonce and garbage', () => {
    assert.equal(verifyWsseDigest({ ...token, passwordDigest: HEX_FORM }, 'other'), false);
    assert.equal(verifyWsseDigest({ ...token, nonce: 'X', passwordDigest: HEX_FORM }, SECRET), false);
    assert.equal(verifyWsseDigest({ ...token, passwordDigest: 'x' }, SECRET), false);
    assert.equal(verifyWsseDigest({ ...token, passwordDigest: HEX_FORM.slice(0, -2) }, SECRET), false);
  });
});

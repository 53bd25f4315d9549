import { after, before, it } from 'node:test';
import { buildWsseHeaders } from '../../src/auth/wsse.js';
import { signAkSk } from '../../src/auth/aksk.js';
import { type ApiFixture, setupApi } from '../api/helpers.js';

let f: ApiFixture;
before(async () => { f = await setupApi(); });
after(() => f.cleanup());
const send = async (payload: string, extra: Record<string,string> = {}, url = '/sms/batchSendSms/v1', ct = 'application/x-www-form-urlencoded') => {
  const res = await f.app.inject({ method: 'POST', url, headers: { 'content-type': ct, ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret), ...extra }, payload });
  return `${res.statusCode} ${res.headers['content-type']} ${res.body}`;
};
it('probe', async () => {
  const from = encodeURIComponent(f.signature.channelNumber as string);
  const P = (s: string) => console.log(s);
  P('raw plus: ' + await send(`from=${from}&to=+8615100000001&templateId=${f.plain.id}`));
  P('raw plus two: ' + await send(`from=${from}&to=+8615100000011,+8615100000012&templateId=${f.plain.id}`));
  P('space after comma: ' + await send(`from=${from}&to=%2B8615100000003,%20%2B8615100000004&templateId=${f.plain.id}`));
  P('dup: ' + await send(`from=${from}&to=15100000005,%2B8615100000005&templateId=${f.plain.id}`));
  P('paras empty: ' + await send(`from=${from}&to=15100000006&templateId=${f.plain.id}&templateParas=`));
  P('paras []: ' + await send(`from=${from}&to=15100000007&templateId=${f.plain.id}&templateParas=%5B%5D`));
  P('paras [""]: ' + await send(`from=${from}&to=15100000017&templateId=${f.plain.id}&templateParas=%5B%22%22%5D`));
  P('sig nonuniversal: ' + await send(`from=${from}&to=15100000008&templateId=${f.plain.id}&signature=Other`));
  P('sig long nonuniversal: ' + await send(`from=${from}&to=15100000018&templateId=${f.plain.id}&signature=${'a'.repeat(70)}`));
  P('extend empty: ' + await send(`from=${from}&to=15100000009&templateId=${f.plain.id}&extend=`));
  P('statusCallback empty: ' + await send(`from=${from}&to=15100000010&templateId=${f.plain.id}&statusCallback=`));
  P('all fail: ' + await send(`from=${from}&to=123,456&templateId=${f.plain.id}`));
  P('empty item: ' + await send(`from=${from}&to=15100000019,,&templateId=${f.plain.id}`));
  P('intl num: ' + await send(`from=${from}&to=%2B12025550123,%2B442071838750&templateId=${f.plain.id}`));
  P('no ct: ' + (await f.app.inject({ method: 'POST', url: '/sms/batchSendSms/v1', headers: { ...buildWsseHeaders(f.tenant.appKey, f.tenant.appSecret) }, payload: 'a=b' })).body);
  P('trailing slash: ' + await send(`from=${from}&to=15100000020&templateId=${f.plain.id}`, {}, '/sms/batchSendSms/v1/'));
  P('query: ' + await send(`from=${from}&to=15100000021&templateId=${f.plain.id}`, {}, '/sms/batchSendSms/v1?x=1'));
  // deep json
  const deep = '['.repeat(200000) + ']'.repeat(200000);
  P('deep json: ' + (await send(`{"from":"${f.signature.channelNumber}","smsContent":[{"to":["15100000022"],"templateId":"${f.plain.id}","templateParas":${deep}}]}`, {}, '/sbad', 'application/json')).slice(0,200));
  P('deep json2: ' + (await send(`{"from":"${f.signature.channelNumber}","smsContent":[{"to":["15100000022"],"templateId":"${f.plain.id}","templateParas":${deep}}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json')).slice(0,200));
  P('json to number: ' + await send(`{"from":"${f.signature.channelNumber}","smsContent":[{"to":[" 15100000023 ","+8615100000023"],"templateId":"${f.plain.id}"}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json'));
  P('json paras string: ' + await send(`{"from":"${f.signature.channelNumber}","smsContent":[{"to":["15100000024"],"templateId":"${f.plain.id}","templateParas":""}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json'));
  P('json statusCallback null: ' + await send(`{"from":"${f.signature.channelNumber}","statusCallback":null,"extend":null,"smsContent":[{"to":["15100000025"],"templateId":"${f.plain.id}","signature":null}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json'));
  P('json statusCallback empty: ' + await send(`{"from":"${f.signature.channelNumber}","statusCallback":"","smsContent":[{"to":["15100000026"],"templateId":"${f.plain.id}","signature":""}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json'));
  P('json extend empty: ' + await send(`{"from":"${f.signature.channelNumber}","extend":"","smsContent":[{"to":["15100000027"],"templateId":"${f.plain.id}"}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json'));
  P('proto: ' + await send(`__proto__=x&constructor=y&from=${from}&to=15100000028&templateId=${f.plain.id}`));
  P('json proto: ' + await send(`{"__proto__":{"from":"x"},"from":"${f.signature.channelNumber}","smsContent":[{"to":["15100000029"],"templateId":"${f.plain.id}"}]}`, {}, '/sms/batchSendDiffSms/v1', 'application/json'));
});

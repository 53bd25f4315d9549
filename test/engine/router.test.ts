import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RouteInput, Router, routeMatches } from '../../src/engine/router.js';
import type { RouteRecord } from '../../src/store/records.js';

const MSG: RouteInput = { to: '+8613912345678', countryId: 'CN', appId: 'app1', templateType: 'NOTIFY_TYPE' };

function route(over: Partial<RouteRecord>): RouteRecord {
  return {
    id: over.id ?? 'r',
    name: 'r',
    priority: 100,
    match: {},
    connectorIds: ['c1'],
    strategy: 'failover',
    enabled: true,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}
const all = () => true;

describe('routeMatches', () => {
  it('an empty match is a catch-all', () => assert.equal(routeMatches({}, MSG), true));
  it('prefixes compare digits, with or without +', () => {
    assert.equal(routeMatches({ prefixes: ['+86139'] }, MSG), true);
    assert.equal(routeMatches({ prefixes: ['86139'] }, MSG), true);
    assert.equal(routeMatches({ prefixes: ['+1', '+86138'] }, MSG), false);
  });
  it('countries are case-insensitive; app ids and template types must be listed', () => {
    assert.equal(routeMatches({ countries: ['cn'] }, MSG), true);
    assert.equal(routeMatches({ countries: ['US'] }, MSG), false);
    assert.equal(routeMatches({ appIds: ['app2'] }, MSG), false);
    assert.equal(routeMatches({ templateTypes: ['PROMOTION_TYPE'] }, MSG), false);
    assert.equal(
      routeMatches({ templateTypes: ['NOTIFY_TYPE'], appIds: ['app1'], countries: ['CN'] }, MSG),
      true,
    );
  });
  it('all present criteria must match', () => {
    assert.equal(routeMatches({ prefixes: ['+86'], appIds: ['other'] }, MSG), false);
  });
});

describe('Router', () => {
  it('takes the lowest priority first, skips disabled rules, keeps list order on ties', () => {
    const r = new Router([
      route({ id: 'late', priority: 50, connectorIds: ['late'] }),
      route({ id: 'off', priority: 1, enabled: false, connectorIds: ['off'] }),
      route({
        id: 'promo',
        priority: 10,
        match: { templateTypes: ['PROMOTION_TYPE'] },
        connectorIds: ['promo'],
      }),
      route({ id: 'tie', priority: 50, connectorIds: ['tie'] }),
    ]);
    assert.deepEqual(r.candidates(MSG, all), ['late']);
    assert.deepEqual(r.candidates({ ...MSG, templateType: 'PROMOTION_TYPE' }, all), ['promo']);
  });
  it('no matching rule → null', () => {
    const r = new Router([route({ match: { countries: ['US'] } })]);
    assert.equal(r.candidates(MSG, all), null);
    assert.equal(new Router([]).candidates(MSG, all), null);
  });
  it('failover keeps the order; unknown connectors are dropped; none left → null', () => {
    const r = new Router([route({ connectorIds: ['a', 'gone', 'b'] })]);
    assert.deepEqual(
      r.candidates(MSG, (id) => id !== 'gone'),
      ['a', 'b'],
    );
    assert.deepEqual(
      r.candidates(MSG, (id) => id !== 'gone'),
      ['a', 'b'],
    );
    assert.equal(
      r.candidates(MSG, () => false),
      null,
    );
  });
  it('the first matching rule decides even if a later rule would have connectors', () => {
    const r = new Router([
      route({ priority: 1, connectorIds: ['dead'] }),
      route({ priority: 2, connectorIds: ['live'] }),
    ]);
    assert.equal(
      r.candidates(MSG, (id) => id === 'live'),
      null,
    );
  });
  it('round-robin rotates the starting connector and keeps the rest as failover', () => {
    const r = new Router([route({ strategy: 'roundrobin', connectorIds: ['a', 'b', 'c'] })]);
    assert.deepEqual(r.candidates(MSG, all), ['a', 'b', 'c']);
    assert.deepEqual(r.candidates(MSG, all), ['b', 'c', 'a']);
    assert.deepEqual(r.candidates(MSG, all), ['c', 'a', 'b']);
    assert.deepEqual(r.candidates(MSG, all), ['a', 'b', 'c']);
  });
});

import { describe, expect, it } from 'vitest';
import { dockerEvent, eventFilters, eventTime } from '../../../api/docker/system';
import { Router, compareVersions, splitVersion } from '../../../api/router';

describe('dockerEvent', () => {
  it("gives Docker's action names and the older status/id/from fields for containers", () => {
    const e = dockerEvent({ time: 1_700_000_000_123_456_789n, type: 'container', action: 'died', actorId: 'abc', name: 'web', image: 'busybox', attributes: { a: 'b' }, exitCode: 3 });
    expect(e).toEqual({ Type: 'container', Action: 'die', Actor: { ID: 'abc', Attributes: { a: 'b', name: 'web', image: 'busybox', exitCode: '3' } }, scope: 'local', time: 1_700_000_000, timeNano: 1_700_000_000_123_456_789, status: 'die', id: 'abc', from: 'busybox' });
    expect(dockerEvent({ time: 1n, type: 'volume', action: 'remove', actorId: '', name: 'v', image: '', attributes: {} })).toMatchObject({ Action: 'destroy', Actor: { ID: 'v' } });
    expect(dockerEvent({ time: 1n, type: 'image', action: 'remove', actorId: 'sha', name: 'x', image: '', attributes: {} }).Action).toBe('delete');
    expect(dockerEvent({ time: 1n, type: 'container', action: 'health_status', actorId: 'c', name: 'x', image: '', attributes: {}, healthStatus: 'healthy' }).Action).toBe('health_status: healthy');
  });
  it("maps Docker's filters and times back", () => {
    expect(eventFilters({ event: ['die', 'start'], label: ['a=b'] })).toEqual(['event=died', 'event=start', 'label=a=b']);
    expect(eventTime('1700000000.5')).toBe(1_700_000_000_500);
    expect(eventTime('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000);
    expect(eventTime(null)).toBeUndefined();
    expect(() => eventTime('yesterday')).toThrow(/invalid time "yesterday"/);
  });
});

describe('router', () => {
  it('strips the version, matches parameters and greedy image names, and tells a wrong method', () => {
    expect(splitVersion('/v1.41/containers/json')).toEqual({ version: '1.41', path: '/containers/json' });
    expect(splitVersion('/_ping')).toEqual({ path: '/_ping' });
    expect(compareVersions('1.9', '1.24')).toBeLessThan(0);
    const r = new Router();
    const h = () => undefined;
    r.add('GET', '/containers/{name}/json', h);
    r.add('GET', '/images/{name...}/json', h);
    expect(r.match('GET', '/containers/web/json')).toMatchObject({ params: { name: 'web' } });
    expect(r.match('GET', '/images/127.0.0.1:5000/library/busybox:latest/json')).toMatchObject({ params: { name: '127.0.0.1:5000/library/busybox:latest' } });
    expect(r.match('HEAD', '/containers/web/json')).toMatchObject({ params: { name: 'web' } });
    expect(r.match('POST', '/containers/web/json')).toBe('method');
    expect(r.match('GET', '/nope')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { eventJson, eventJsonLine, formatEvent, goTimeString } from '../../../../commands/format/event-line';

const event = {
  time: 1_704_207_845_123_456_789n,
  type: 'container' as const,
  action: 'create',
  actorId: 'f'.repeat(64),
  name: 'web',
  image: 'docker.io/library/busybox:latest',
  attributes: { 'io.x': 'y' },
};

describe('event lines', () => {
  it("prints Podman's line with nanoseconds, full or short ID", () => {
    expect(formatEvent(event)).toBe(`2024-01-02 15:04:05.123456789 +0000 UTC container create ${'f'.repeat(64)} (image=docker.io/library/busybox:latest, name=web, io.x=y)`);
    // Podman prints image= even when it is empty.
    expect(formatEvent({ ...event, image: '' }, false)).toBe(`2024-01-02 15:04:05.123456789 +0000 UTC container create ${'f'.repeat(12)} (image=, name=web, io.x=y)`);
  });

  it("drops the fraction's trailing zeros as Go's time.Time String does", () => {
    expect(goTimeString(1_704_207_845_120_000_000n)).toBe('2024-01-02 15:04:05.12 +0000 UTC');
    expect(goTimeString(1_704_207_845_000_000_000n)).toBe('2024-01-02 15:04:05 +0000 UTC');
  });

  it("prints each type's line as Podman does", () => {
    const at = 1_704_207_845_000_000_001n;
    const t = '2024-01-02 15:04:05.000000001 +0000 UTC';
    const id = 'a'.repeat(64);
    expect(formatEvent({ time: at, type: 'image', action: 'pull', actorId: id, name: 'docker.io/library/busybox:latest', image: '', attributes: {} }, false)).toBe(`${t} image pull ${'a'.repeat(12)} docker.io/library/busybox:latest`);
    expect(formatEvent({ time: at, type: 'volume', action: 'create', actorId: '', name: 'data', image: '', attributes: {} })).toBe(`${t} volume create data`);
    expect(formatEvent({ time: at, type: 'network', action: 'create', actorId: id, name: '', image: '', network: 'net1', attributes: { driver: 'bridge' } })).toBe(`${t} network create ${id} (name=net1, type=bridge)`);
    expect(formatEvent({ time: at, type: 'network', action: 'connect', actorId: id, name: 'web', image: '', network: 'net1', attributes: {} })).toBe(`${t} network connect ${id} (container=${id}, name=net1)`);
  });

  it("gives Podman's JSON fields in Podman's order, timeNano exact, empty ones left out", () => {
    expect(eventJsonLine({ ...event, action: 'died', exitCode: 3 })).toBe(
      `{"ContainerExitCode":3,"ID":"${'f'.repeat(64)}","Image":"docker.io/library/busybox:latest","Name":"web","Status":"died","time":1704207845,"timeNano":1704207845123456789,"Type":"container","Attributes":{"io.x":"y"}}`,
    );
    expect(eventJsonLine({ time: event.time, type: 'volume', action: 'remove', actorId: '', name: 'data', image: '', attributes: {} })).toBe(
      '{"Name":"data","Status":"remove","time":1704207845,"timeNano":1704207845123456789,"Type":"volume","Attributes":null}',
    );
    expect(eventJsonLine({ ...event, attributes: {} })).toMatch(/"Type":"container","Attributes":\{\}\}$/);
    // A template sees every field, empty ones too, as a Go struct has them.
    expect(eventJson(event)).toEqual({ ContainerExitCode: null, ID: 'f'.repeat(64), Image: event.image, Name: 'web', Network: '', Status: 'create', Type: 'container', HealthStatus: '', Error: '', PodID: '', ContainerInspectData: '', Attributes: { 'io.x': 'y' }, Time: 1_704_207_845, TimeNano: '1704207845123456789' });
    expect(eventJson({ ...event, actorId: '', type: 'image', action: 'pull-error', error: 'refused' })).toMatchObject({ ID: '', Error: 'refused' });
  });
});

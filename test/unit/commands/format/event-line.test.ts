import { describe, expect, it } from 'vitest';
import { eventJson, formatEvent } from '../../../../commands/format/event-line';

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
    expect(formatEvent({ ...event, image: '' }, false)).toBe(`2024-01-02 15:04:05.123456789 +0000 UTC container create ${'f'.repeat(12)} (name=web, io.x=y)`);
  });

  it("gives Podman's JSON fields", () => {
    expect(eventJson(event)).toEqual({ ID: 'f'.repeat(64), Image: event.image, Name: 'web', Status: 'create', Type: 'container', Attributes: { 'io.x': 'y' }, time: 1_704_207_845, timeNano: Number(event.time) });
  });
});

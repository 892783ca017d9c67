import { describe, expect, it } from 'vitest';
import { podStatus } from '../../../../libpod/pod/pod';

describe("a pod's status", () => {
  it("follows Podman's rule over its containers' states", () => {
    expect(podStatus([])).toBe('Created');
    expect(podStatus(['running', 'running'])).toBe('Running');
    expect(podStatus(['running', 'exited'])).toBe('Degraded');
    expect(podStatus(['running', 'created'])).toBe('Degraded');
    expect(podStatus(['paused', 'paused'])).toBe('Paused');
    expect(podStatus(['exited', 'exited'])).toBe('Exited');
    // Some exited, none running: Podman's Stopped (a pod whose members were not all started).
    expect(podStatus(['exited', 'created'])).toBe('Stopped');
    expect(podStatus(['paused', 'exited'])).toBe('Stopped');
    expect(podStatus(['created', 'created'])).toBe('Created');
    expect(podStatus(['created', 'removing'])).toBe('Error');
  });

  it('counts a stopping or restarting container as running, and an initialized one as created (Podman says Error)', () => {
    expect(podStatus(['stopping', 'running'])).toBe('Running');
    expect(podStatus(['restarting', 'exited'])).toBe('Degraded');
    expect(podStatus(['initialized', 'created'])).toBe('Created');
  });
});

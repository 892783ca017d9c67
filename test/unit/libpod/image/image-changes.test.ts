import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../../../libpod/image/image-changes';

describe('--change instructions', () => {
  it('applies the Dockerfile subset', () => {
    const c = applyChanges({ Env: ['A=0', 'B=1'] }, [
      'CMD ["/bin/sh", "-c", "echo hi"]',
      'ENTRYPOINT=/init',
      'ENV A=1 C="two words"',
      'ENV D 4',
      'LABEL org.x=y',
      'WORKDIR /srv',
      'USER 33:33',
      'EXPOSE 80 53/udp',
      'VOLUME /data',
      'STOPSIGNAL SIGINT',
    ]);
    expect(c).toEqual({
      Env: ['B=1', 'A=1', 'C=two words', 'D=4'],
      Cmd: ['/bin/sh', '-c', 'echo hi'],
      Entrypoint: ['/bin/sh', '-c', '/init'],
      Labels: { 'org.x': 'y' },
      WorkingDir: '/srv',
      User: '33:33',
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Volumes: { '/data': {} },
      StopSignal: 'SIGINT',
    });
  });

  it('explains what it cannot apply', () => {
    expect(() => applyChanges({}, ['RUN apt-get update'])).toThrow('RUN is not one of CMD, ENTRYPOINT');
    expect(() => applyChanges({}, ['CMD ["unterminated"'])).toThrow('invalid JSON array in change');
    expect(() => applyChanges({}, ['nonsense'])).toThrow('use INSTRUCTION VALUE');
  });
});

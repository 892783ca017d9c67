import { describe, expect, it } from 'vitest';
import { moveComposeGlobals } from '../../../src/compose-argv';

describe('moveComposeGlobals', () => {
  it('moves the global options before the verb after it, in long form', () => {
    const r = moveComposeGlobals(['compose', '-f', 'a.yml', '-f', 'b.yml', '-p', 'proj', '--profile', 'x', '--env-file', 'e', '--project-directory', 'd', 'up', '-d']);
    expect(r.verb).toBe('up');
    expect(r.argv).toEqual(['compose', 'up', '--file=a.yml', '--file=b.yml', '--project-name=proj', '--profile=x', '--env-file=e', '--project-directory=d', '-d']);
  });

  it('keeps a verb whose own -f means something else apart from the file flag', () => {
    expect(moveComposeGlobals(['compose', '-f', 'x.yml', 'logs', '-f', 'web']).argv).toEqual(['compose', 'logs', '--file=x.yml', '-f', 'web']);
  });

  it('reads joined values and = forms', () => {
    expect(moveComposeGlobals(['compose', '-fx.yml', '--project-name=p', '-pq', 'ps']).argv).toEqual(['compose', 'ps', '--file=x.yml', '--project-name=p', '--project-name=q']);
  });

  it('leaves argv alone when the verb comes first or an unknown flag precedes it', () => {
    expect(moveComposeGlobals(['compose', 'ps', '-a']).argv).toEqual(['compose', 'ps', '-a']);
    expect(moveComposeGlobals(['compose', '--bogus', 'ps']).argv).toEqual(['compose', '--bogus', 'ps']);
    expect(moveComposeGlobals(['compose', '--bogus', 'ps']).verb).toBeUndefined();
  });

  it('says when only global options (and --help) were given', () => {
    expect(moveComposeGlobals(['compose', '-f', 'x.yml']).helpOnly).toBe(true);
    expect(moveComposeGlobals(['compose', '-p', 'x', '--help']).helpOnly).toBe(true);
    expect(moveComposeGlobals(['compose', '-p', 'x', '--help', 'up']).argv).toEqual(['compose', 'up', '--project-name=x', '--help']);
  });
});

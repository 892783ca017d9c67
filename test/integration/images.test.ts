// The image commands around pull: tag, untag, images filters and digests, history, exists, prune,
// search, and the progress display on a real terminal (tmux).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Store, asUser, registry, tspodBin } from './harness';

if (!registry) throw new Error('TSPOD_TEST_REGISTRY is not set: scripts/test.sh starts the registry');

describe('image commands', () => {
  const store = new Store('images');
  const busybox = `${registry}/library/busybox`;
  beforeAll(() => {
    expect(store.tspod(['pull', '-q', busybox]).code).toBe(0);
  });
  afterAll(() => store.cleanup());

  it('tags and untags, with short names under localhost/', () => {
    expect(store.tspod(['tag', busybox, 'mybox:1', 'quay.io/me/box:2'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(store.tspod(['images', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n').filter(Boolean).sort()).toEqual([`${busybox}:latest`, 'localhost/mybox:1', 'quay.io/me/box:2']);
    expect(store.tspod(['images', 'mybox', '--format', '{{.Repository}}:{{.Tag}}']).stdout).toBe('localhost/mybox:1\n');
    expect(store.tspod(['untag', busybox, 'quay.io/me/box:2'])).toMatchObject({ code: 0 });
    const missing = store.tspod(['untag', busybox, 'never:1']);
    expect(missing).toMatchObject({ code: 125, stderr: `Error: localhost/never:1: tag not known for image ${store.tspod(['images', '-q', 'mybox']).stdout.trim()}\n` });
    expect(store.tspod(['tag', 'nosuch', 'x']).stderr).toBe('Error: nosuch: image not known\n');
  });

  it('filters the list and shows digests', () => {
    expect(store.tspod(['images', '--filter', 'reference=*box*', '--format', '{{.Repository}}']).stdout.split('\n').filter(Boolean).sort()).toEqual([busybox, 'localhost/mybox']);
    expect(store.tspod(['images', '--filter', 'dangling=true', '-q']).stdout).toBe('');
    expect(store.tspod(['images', '--filter', 'label=nothing', '-q']).stdout).toBe('');
    const digests = store.tspod(['images', '--digests', busybox]);
    expect(digests.stdout).toMatch(/^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID\s+CREATED\s+SIZE\n/);
    expect(digests.stdout).toMatch(/sha256:[a-f0-9]{64}/);
    expect(store.tspod(['images', '--filter', 'colour=red']).stderr).toMatch(/^Error: invalid image filter "colour=red"/);
  });

  it('shows history and answers exists with 0 or 1', () => {
    const h = store.tspod(['history', busybox]);
    expect(h.stdout).toMatch(/^ID\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT\n[a-f0-9]{12}\s+.* ago\s+tspod test fixture\s+2\.\d+ MB/);
    expect(store.tspod(['image', 'exists', 'mybox:1']).code).toBe(0);
    expect(store.tspod(['image', 'exists', 'nothere']).code).toBe(1);
  });

  it("prints 'table' formats with headings and no literal \"table\", and inspect templates find fields by Go or JSON name", () => {
    const w = Math.max(12, busybox.length + 2);
    const images = store.tspod(['images', '--format', 'table {{.Repository}}\\t{{.Tag}}', busybox]);
    expect(images).toEqual({ code: 0, stdout: `${'REPOSITORY'.padEnd(w)}TAG\n${busybox.padEnd(w)}latest\n`, stderr: '' });
    const history = store.tspod(['history', '--format', 'table {{.ID}}\\t{{.CreatedBy}}', busybox]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^ID {12}CREATED BY\n[0-9a-f]{12} {2}tspod test fixture\n/);
    expect(history.stdout).not.toMatch(/table/);
    const id = store.tspod(['image', 'inspect', '--format', '{{.ID}}', busybox]);
    expect(id.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(store.tspod(['image', 'inspect', '--format', '{{.Id}}', busybox]).stdout).toBe(id.stdout);
    // range, if, variables and functions over inspect's document.
    const tmpl = '{{range $i, $t := .RepoTags}}{{if $i}},{{end}}{{$t}}{{end}} {{len .RootFS.Layers}} {{if .Config.Cmd}}{{join .Config.Cmd " "}}{{else}}no-cmd{{end}} {{upper .Os}}';
    expect(store.tspod(['image', 'inspect', '--format', tmpl, busybox]).stdout).toMatch(new RegExp(`^(${busybox}:latest|[^ ]*,?${busybox}:latest[^ ]*) [1-9]\\d* \\S.* LINUX\\n$`));
    expect(store.tspod(['image', 'inspect', '--format', '{{.Nope}}', busybox])).toMatchObject({ code: 125, stdout: '' });
  });

  it('prunes dangling images only, unless -a', () => {
    store.tspod(['untag', busybox]);
    expect(store.tspod(['images', '--filter', 'dangling=true', '-q']).stdout).not.toBe('');
    const prune = store.tspod(['image', 'prune', '-f']);
    expect(prune.code).toBe(0);
    expect(prune.stdout).toMatch(/^[a-f0-9]{64}\n$/);
    expect(store.tspod(['images', '-q']).stdout).toBe('');
    expect(store.tspod(['pull', '-q', busybox]).code).toBe(0);
    const asked = store.tspod(['image', 'prune', '-a'], { input: 'n\n' });
    expect(asked.stdout).toMatch(/Are you sure you want to continue\? \[y\/N\] $/);
    expect(store.tspod(['images', '-q']).stdout).not.toBe('');
    expect(store.tspod(['image', 'prune', '-a'], { input: 'y\n' }).code).toBe(0);
    expect(store.tspod(['images', '-q']).stdout).toBe('');
  });

  it('searches a registry catalog, and says when a registry cannot be searched', () => {
    const r = store.tspod(['search', `${registry}/busy`]);
    expect(r.stdout).toMatch(/^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL\s+AUTOMATED\n/);
    expect(r.stdout).toMatch(new RegExp(`^${registry.replace(/\./g, '\\.')}/library/busybox\\s+0$`, 'm'));
    expect(r.stdout).not.toMatch(/library\/debian/);
    const closed = store.tspod(['search', '127.0.0.1:1/x']);
    expect(closed.code).toBe(125);
    expect(closed.stderr).toMatch(/Error: cannot search 127\.0\.0\.1:1: cannot reach registry 127\.0\.0\.1:1/);
  });

  it('lists a repository\'s tags with --list-tags, and filters results as Podman does', () => {
    const tags = store.tspod(['search', '--list-tags', `${registry}/library/debian`]);
    expect(tags).toMatchObject({ code: 0, stderr: '' });
    const name = `${registry}/library/debian`;
    expect(tags.stdout.split('\n')[0]).toMatch(/^NAME\s+TAG$/);
    expect(tags.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)).sort()).toEqual([[name, 'bookworm'], [name, 'latest']]);
    expect(JSON.parse(store.tspod(['search', '--list-tags', '--format', 'json', name]).stdout)).toEqual([{ Name: name, Tags: expect.arrayContaining(['bookworm', 'latest']) }]);
    expect(store.tspod(['search', '--list-tags', '--limit', '1', '--format', '{{.Tag}}', name]).stdout.trim().split('\n')).toHaveLength(1);
    expect(store.tspod(['search', '--list-tags', 'debian'])).toMatchObject({ code: 125, stderr: 'Error: --list-tags needs a fully specified image name, with its registry: e.g. tspod search --list-tags docker.io/debian\n' });
    expect(store.tspod(['search', '--list-tags', '--filter', 'stars=1', name])).toMatchObject({ code: 125, stderr: 'Error: filters are not applicable to list tags result\n' });
    // The catalog has no stars: stars=1 keeps nothing, is-official=false keeps busybox.
    expect(store.tspod(['search', '--filter', 'stars=1', `${registry}/library/busy`]).stdout).toMatch(/^NAME\s+DESCRIPTION/);
    expect(store.tspod(['search', '--filter', 'stars=1', '--format', '{{.Name}}', `${registry}/library/busy`]).stdout).toBe('');
    // Other tests push their own busybox copies to the shared registry: ask for library/busy only.
    expect(store.tspod(['search', '--filter', 'is-official=false', '--format', '{{.Name}}', `${registry}/library/busy`]).stdout).toBe(`${registry}/library/busybox\n`);
    expect(store.tspod(['search', '--filter', 'colour=red', `${registry}/busy`])).toMatchObject({ code: 125, stderr: 'Error: invalid filter "colour=red": search takes stars=, is-official= and is-automated=\n' });
  });
});

describe('pull on a terminal', () => {
  const store = new Store('images-tty');
  const session = `tspod-pull-${process.pid}`;
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    store.cleanup();
  });

  it('draws one progress line per layer and ends with each layer done', async () => {
    const cmd = asUser([tspodBin, '--root', store.root, '--runroot', store.runroot, 'pull', `${registry}/library/debian`]);
    const shell = `${cmd.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')}; echo EXIT=$?; sleep 30`;
    expect(spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '150', '-y', '20', shell]).status).toBe(0);
    let screen = '';
    for (let i = 0; i < 300 && !/EXIT=\d+/.test(screen); i++) {
      await new Promise((r) => setTimeout(r, 100));
      screen = spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout;
    }
    expect(screen).toMatch(/Trying to pull .*library\/debian:latest\.\.\./);
    expect(screen).toMatch(/Copying blob [a-f0-9]{12} done/);
    expect(screen).toMatch(/^[a-f0-9]{64}$/m);
    expect(screen).toMatch(/EXIT=0/);
    // Redrawn in place: the layer appears on one line only, not once per update.
    expect(screen.match(/Copying blob [a-f0-9]{12}/g)).toHaveLength(1);
  });
});

import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { goHumanSize } from '../../src/human-units';

export default class SystemPruneCommand extends TspodCommand {
  static override paths = [['system', 'prune']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove unused data',
    details: `
      Removes every container that is not running, every network no container is on and the dangling images (with -a every image no container uses); with --volumes also every volume no container uses. Asks first unless -f; prints what it removed under Deleted Containers, Deleted Volumes, Deleted Images and Deleted Networks, then the bytes freed. --filter (until=, label=) applies to each kind.
    `,
    examples: [['Without asking', '$0 system prune -f'], ['Everything unused, volumes too', '$0 system prune -a --volumes -f']],
  });
  all = Option.Boolean('-a,--all', false, { description: 'Remove all unused data' });
  force = Option.Boolean('-f,--force', false, { description: 'Do not prompt for confirmation.  The default is false' });
  volumes = Option.Boolean('--volumes', false, { description: 'Prune volumes' });
  filter = Option.Array('--filter', [], { description: "Provide filter values (e.g. 'label=<key>=<value>')" });

  async execute(): Promise<number> {
    if (!this.force) {
      const volumes = this.volumes ? '\n\t- all volumes not used by at least one container' : '';
      const images = this.all ? 'all images without at least one container associated with them' : 'all dangling images';
      this.write(`WARNING! This command removes:\n\t- all stopped containers\n\t- all networks not used by at least one container${volumes}\n\t- ${images}\n\t- all ${this.all ? '' : 'dangling '}build cache\nAre you sure you want to continue? [y/N] `);
      if (!/^y/i.test(await this.readLine())) return 0;
    }
    const r = await this.engine.system.prune({ all: this.all, volumes: this.volumes, filters: this.filter });
    const section = (heading: string, lines: string[]) => {
      if (lines.length) this.write(`${heading}\n${lines.map((l) => `${l}\n`).join('')}`);
    };
    section('Deleted Containers', r.containers.map((c) => c.id));
    if (this.volumes) section('Deleted Volumes', r.volumes);
    section('Deleted Images', r.images.map((i) => i.id));
    section('Deleted Networks', r.networks);
    this.write(`Total reclaimed space: ${goHumanSize(r.reclaimed)}\n`);
    const failures = [...r.containers, ...r.images].filter((x) => x.error);
    for (const f of failures) this.context.stderr.write(`Error: ${f.error!.message}\n`);
    return failures.length ? 125 : 0;
  }
}

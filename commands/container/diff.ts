import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { formatChanges } from '../format/diff-output';
import { latestFlag } from './select-flags';

export default class ContainerDiffCommand extends TspodCommand {
  static override paths = [['diff'], ['container', 'diff']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Inspect changes on a container or image's filesystem",
    details: 'A added, C changed, D deleted: against the container\'s image (an image: against its parent), or from the second name to the first. `tspod diff` takes images and containers (an image first, as Podman looks names up), `tspod container diff` containers.',
    examples: [['Changes', '$0 diff web'], ['As JSON', '$0 diff --format json web'], ['Between two containers', '$0 container diff web web-old']],
  });
  format = Option.String('--format', { description: 'json' });
  latest = latestFlag();
  names = Option.Rest();

  async execute(): Promise<number> {
    this.write(formatChanges(this.engine.containers.diff(this.names, { images: this.path[0] === 'diff', latest: this.latest }), this.format));
    return 0;
  }
}

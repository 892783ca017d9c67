import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { seconds } from './create-flags';
import { cidfileFlag, latestFlag } from './select-flags';

export default class ContainerRmCommand extends TspodCommand {
  static override paths = [['rm'], ['container', 'rm']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove one or more containers',
    details: 'A running container is refused unless --force, which kills it first. Its writable layer, bundle and log are deleted.',
    examples: [['Remove a stopped container', '$0 rm web'], ['Remove everything', '$0 rm -af']],
  });
  force = Option.Boolean('-f,--force', false, { description: 'kill and remove running containers' });
  all = Option.Boolean('-a,--all', false, { description: 'remove all containers' });
  volumes = Option.Boolean('-v,--volumes', false, { description: "remove the container's anonymous volumes too (named volumes stay)" });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'ignore containers that do not exist' });
  time = Option.String('-t,--time', { description: 'seconds to wait for a forced stop before SIGKILL (default 0)' });
  cidfile = cidfileFlag();
  latest = latestFlag();
  filter = Option.Array('--filter', [], { description: "remove the containers that match ps's filters (-f is --force here)" });
  depend = Option.Boolean('--depend', false, { description: 'remove the containers that depend on these (share their network) first' });
  names = Option.Rest();

  async execute(): Promise<number> {
    const reports = await this.engine.containers.remove(this.names, { force: this.force, all: this.all, ignore: this.ignore, cidFiles: this.cidfile, latest: this.latest, filters: this.filter, depend: this.depend, timeout: this.time === undefined ? undefined : seconds(this.time, '--time'), volumes: this.volumes });
    return this.printRemovals(reports, this.force, (r) => r.name || r.id);
  }
}

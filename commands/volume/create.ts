import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class VolumeCreateCommand extends TspodCommand {
  static override paths = [['volume', 'create']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Create a volume: data that outlives containers',
    details: 'A directory under the data directory (tspod volume inspect shows where). Options of the local driver: uid=, gid= (its owner inside containers).',
    examples: [['A volume', '$0 volume create data'], ['With a label', '$0 volume create --label app=db dbdata']],
  });
  label = Option.Array('-l,--label', [], { description: 'KEY=VALUE label' });
  opt = Option.Array('-o,--opt', [], { description: 'driver option KEY=VALUE' });
  driver = Option.String('-d,--driver', 'local', { description: 'local (the only driver)' });
  ignore = Option.Boolean('--ignore', false, { description: 'no error when the volume exists' });
  uid = Option.String('--uid', { description: 'owner of the volume inside containers (as -o uid=)' });
  gid = Option.String('--gid', { description: 'group of the volume inside containers (as -o gid=)' });
  name = Option.String({ required: false });

  async execute(): Promise<number> {
    if (this.driver !== 'local') throw new InvalidArgumentError(`unsupported volume driver "${this.driver}": tspod has the local driver`);
    const v = this.engine.volumes.create(this.name, { labels: this.label, options: [...this.opt, ...(this.uid === undefined ? [] : [`uid=${this.uid}`]), ...(this.gid === undefined ? [] : [`gid=${this.gid}`])], ignore: this.ignore });
    this.write(`${v.name}\n`);
    return 0;
  }
}

import fs from 'node:fs';
import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export class VolumeExportCommand extends TspodCommand {
  static override paths = [['volume', 'export']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: "Write a volume's files as a tar archive", examples: [['To a file', '$0 volume export data > data.tar'], ['With -o', '$0 volume export -o data.tar data']] });
  output = Option.String('-o,--output', { description: 'file to write (default: stdout)' });
  name = Option.String();

  async execute(): Promise<number> {
    if (!this.output && process.stdout.isTTY) throw new InvalidArgumentError('refusing to write a tar archive to a terminal: redirect it (> data.tar) or give -o FILE');
    await this.engine.volumes.exportVolume(this.name, this.output ? fs.createWriteStream(this.output) : process.stdout);
    return 0;
  }
}

export class VolumeImportCommand extends TspodCommand {
  static override paths = [['volume', 'import']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({ description: 'Unpack a tar archive into a volume', examples: [['From a file', '$0 volume import data data.tar'], ['From stdin', 'cat data.tar | $0 volume import data -']] });
  name = Option.String();
  source = Option.String();

  async execute(): Promise<number> {
    let input: NodeJS.ReadableStream = process.stdin;
    if (this.source !== '-') {
      if (!fs.existsSync(this.source)) throw new InvalidArgumentError(`${this.source}: no such file: give a tar archive, or - for stdin`);
      input = fs.createReadStream(this.source);
    }
    await this.engine.volumes.importVolume(this.name, input);
    return 0;
  }
}

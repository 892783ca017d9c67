import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';

export default class ContainerCommitCommand extends TspodCommand {
  static override paths = [['commit'], ['container', 'commit']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: "Create an image from a container's changes",
    details: `
      The new image is the container's image plus one layer holding what the container changed (its files, deletions as whiteouts), with the container's environment, command, working directory, user and labels as its config, then the --change instructions (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR). Prints the new image's ID.
    `,
    examples: [
      ['Commit with a name', '$0 commit web localhost/web:v2'],
      ['With a message, author and command', '$0 commit -m "add config" -a "Jo <jo@example.com>" -c \'CMD=["nginx","-g","daemon off;"]\' web web:v3'],
    ],
  });
  message = Option.String('-m,--message', { description: 'Commit message (the history comment)' });
  author = Option.String('-a,--author', { description: 'Author of the image' });
  changes = Option.Array('-c,--change', [], { description: 'Dockerfile instruction applied to the config, e.g. CMD=/bin/sh' });
  pause = Option.Boolean('-p,--pause', false, { description: 'Pause the container while committing (needs the cgroup freezer)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Print only the image ID (the default here)' });
  format = Option.String('-f,--format', 'oci', { description: 'oci or docker: the manifest format is chosen when pushing' });
  name = Option.String();
  image = Option.String({ required: false });

  async execute(): Promise<number> {
    if (this.format !== 'oci' && this.format !== 'docker') throw new InvalidArgumentError(`invalid --format "${this.format}": use oci or docker`);
    const image = await this.engine.containers.commit(this.name, this.image, { message: this.message, author: this.author, changes: this.changes, pause: this.pause });
    this.write(`${image.id.slice(7)}\n`);
    return 0;
  }
}

import fs from 'node:fs';
import { Command } from 'clipanion';
import { BuildFlagsCommand } from './build-flags-command';
import { buildOptions } from './build-flags';
import { ociArch } from '../../src/arch';

export default class BuildCommand extends BuildFlagsCommand {
  static override paths = [['build'], ['image', 'build'], ['buildx', 'build'], ['builder', 'build']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Build an image using instructions from Containerfiles',
    details:
      'Builds an OCI or Docker image from the instructions of one or more Containerfiles (or Dockerfiles) and a build context: a directory, an http(s) URL of a tar archive or a Containerfile, or - (a tar or a Containerfile on stdin). Without a context the directory of the first -f file is it. Each step prints a STEP line; the image ID comes last. Steps whose inputs did not change are taken from the cache of earlier builds (--layers); "tspod builder prune" empties it.',
    examples: [
      ['The Containerfile in this directory', '$0 build .'],
      ['A named image from another file', '$0 build --creds=username:password -t imageName -f Containerfile.simple .'],
      ['Without the cache, with a build argument', '$0 build --no-cache --build-arg VERSION=1.2 -t app:1.2 .'],
    ],
  });

  async execute(): Promise<number> {
    const opts = buildOptions(this.buildFlags(), {
      env: process.env,
      cwd: process.cwd(),
      arch: ociArch(),
      readFile: (file) => fs.readFileSync(file, 'utf8'),
      exists: (file) => fs.existsSync(file),
    });
    const report = await this.engine.builds.build(opts, { stdin: this.context.stdin, stdout: this.context.stdout, stderr: this.context.stderr });
    // Podman's --manifest: the image is added to the list, which is made when there is none.
    if (this.manifest !== undefined) await this.engine.images.manifestCreate(this.manifest, [report.id], { all: false, amend: true, annotations: [] });
    return 0;
  }
}

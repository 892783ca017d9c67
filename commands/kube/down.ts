import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import type { KubeDownReport } from '../../libpod/entities';

export default class KubeDownCommand extends TspodCommand {
  static override paths = [['kube', 'down']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove pods based on Kubernetes YAML',
    details:
      'Removes what a kube play of the same file made: the pods of its Pods, Deployments, DaemonSets and Jobs with their containers, the proxies of its Services, the files of its configMap and secret volumes, and its Secrets from the secret store. The named volumes of its PersistentVolumeClaims are kept unless --force is given.',
    examples: [
      ['Remove what the file made', '$0 kube down web.yaml'],
      ['And the volumes of its claims', 'cat web.yaml | $0 kube down --force -'],
    ],
  });
  force = Option.Boolean('--force', false, { description: "also remove the volumes of the file's PersistentVolumeClaims" });
  file = Option.String();
  more = Option.Rest();

  async execute(): Promise<number> {
    const io = { stdin: this.context.stdin, stdout: this.context.stdout, stderr: this.context.stderr };
    return printDownReport(this, await this.engine.kube.down({ sources: [this.file, ...this.more], force: this.force }, io));
  }
}

/** Podman's teardown report: each heading, then the IDs (names for volumes); errors on stderr, exit 125 after any. */
export function printDownReport(cmd: TspodCommand, r: KubeDownReport): number {
  let code = 0;
  const section = (title: string, items: Array<{ id: string; error?: Error }>) => {
    cmd.write(`${title}:\n`);
    for (const i of items) {
      if (!i.error) cmd.write(`${i.id}\n`);
      else {
        cmd.context.stderr.write(`Error: ${i.error.message}\n`);
        code = 125;
      }
    }
  };
  section('Pods stopped', r.stopped);
  section('Pods removed', r.removed);
  section('Secrets removed', r.secrets);
  section('Volumes removed', r.volumes);
  return code;
}

import { Command, Option } from 'clipanion';
import { PodVerbCommand } from './select';
import { seconds } from '../container/create-flags';

export default class PodRmCommand extends PodVerbCommand {
  static override paths = [['pod', 'rm']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Remove one or more pods',
    details: 'A pod with running containers is refused unless --force, which stops them first. Its containers go, then its infra container, then the pod. Exit 1 when a pod does not exist.',
    examples: [['Remove a stopped pod', '$0 pod rm web'], ['Remove everything', '$0 pod rm -af']],
  });
  force = Option.Boolean('-f,--force', false, { description: 'stop and remove running pods' });
  ignore = Option.Boolean('-i,--ignore', false, { description: 'ignore pods that do not exist' });
  time = Option.String('-t,--time', { description: 'seconds to wait for a forced stop before SIGKILL (default 0, as rm -f)' });

  async execute(): Promise<number> {
    const reports = await this.engine.pods.remove(this.selection(this.ignore), { force: this.force, timeout: this.time === undefined ? undefined : seconds(this.time, '--time') });
    const code = this.printPods(reports);
    // Podman's pod rm: 1 when a pod does not exist.
    return code !== 0 && reports.some((r) => (r.error as { code?: string } | undefined)?.code === 'ENOPOD') ? 1 : code;
  }
}

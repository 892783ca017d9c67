import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { formatTable } from '../../src/human-units';

export default class ContainerTopCommand extends TspodCommand {
  static override paths = [['top'], ['container', 'top']];
  static override usage = Command.Usage({
    description: 'Display the running processes of a container',
    details: 'As seen inside the container: its PIDs and user names. Descriptors: user, pid, ppid, pcpu, etime, tty, time, args, comm, uid, nice.',
    examples: [['Default columns', '$0 top web'], ['Chosen ones', '$0 top web pid comm']],
  });
  name = Option.String();
  descriptors = Option.Rest();

  async execute(): Promise<number> {
    const [head, ...rows] = this.engine.containers.top(this.name, this.descriptors);
    this.write(formatTable(head, rows));
    return 0;
  }
}

import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { formatTable } from '../../src/human-units';

export default class PodTopCommand extends TspodCommand {
  static override paths = [['pod', 'top']];
  static override usage = Command.Usage({
    description: "Display the running processes of a pod's containers",
    details: 'As seen inside the containers: their PIDs and user names, each PID namespace once (a pod made with --share +pid shows one). Descriptors: user, pid, ppid, pcpu, etime, tty, time, args, comm, uid, nice (also comma-separated).',
    examples: [['Default columns', '$0 pod top web'], ['Chosen ones', '$0 pod top web pid,comm']],
  });
  latest = Option.Boolean('-l,--latest', false, { description: 'the latest pod created' });
  args = Option.Rest();

  async execute(): Promise<number> {
    if (!this.latest && this.args.length === 0) throw new InvalidArgumentError('you must provide the name or id of a running pod');
    const [name, descriptors] = this.latest ? [undefined, this.args] : [this.args[0], this.args.slice(1)];
    const [head, ...rows] = this.engine.pods.top(name, descriptors);
    this.write(formatTable(head, rows));
    return 0;
  }
}

import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import { InvalidArgumentError } from '../../src/errors';
import { log } from '../../src/log';

export default class SystemServiceCommand extends TspodCommand {
  static override paths = [['system', 'service']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Run an API service',
    details: `
      Serves the Docker Engine API (versions 1.24 to 1.41) so that Docker's CLI, docker-compose, testcontainers and other Docker clients drive tspod: \`DOCKER_HOST=unix://$XDG_RUNTIME_DIR/tspod/tspod.sock docker ps\`. The default address is that socket (its directory 0700, the socket 0600); \`tcp://127.0.0.1:PORT\` listens on TCP, which has no authentication. A listening socket passed by systemd (LISTEN_FDS) is used when no address is given. The service exits after --time seconds without a request; containers it started keep running with their own monitors. See docs/api.md for what is served.
    `,
    examples: [
      ['Serve on the default socket until idle for 5 s', '$0 system service'],
      ['Serve until stopped', '$0 system service --time 0 unix:///tmp/tspod.sock'],
    ],
  });
  time = Option.String('-t,--time', '5', { description: 'Time until the service session expires in seconds; 0 means never' });
  uri = Option.String({ required: false });

  async execute(): Promise<number> {
    if (!/^\d+$/.test(this.time)) throw new InvalidArgumentError(`invalid --time ${JSON.stringify(this.time)}: give whole seconds (0 for no limit)`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require('../../api/service') as typeof import('../../api/service');
    await api.runService({ uri: this.uri, idleSeconds: Number(this.time), paths: this.engine.paths, makeEngine: () => this.engine.fresh(), log });
    return 0;
  }
}

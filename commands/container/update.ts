import { Command, Option } from 'clipanion';
import { ResourceFlagsCommand } from './resource-flags';
import { refusedOption } from '../refused-option';
import { InvalidArgumentError } from '../../src/errors';
import { latestFlag } from './select-flags';

const refused = (name: string) => refusedOption('update', name);

export default class ContainerUpdateCommand extends ResourceFlagsCommand {
  static override paths = [['update'], ['container', 'update']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    description: 'Update the configuration of a given container',
    details:
      'Changes the resource limits, restart policy, environment and ulimits of an existing container, checked as create checks them; inspect shows the new values. The environment and ulimits apply from the next start; on cgroups v1 rootless hosts resource limits are recorded but not applied (as for create).',
    examples: [
      ['More memory', '$0 update --memory 512m web'],
      ['Restart it always from now on', '$0 update --restart always web'],
    ],
  });
  restart = Option.String('--restart', { description: 'restart policy: no, always, unless-stopped, on-failure[:max-retries]' });
  env = Option.Array('-e,--env', [], { description: 'add or replace an environment variable (KEY=VALUE, or KEY to pass ours), from the next start' });
  unsetenv = Option.Array('--unsetenv', [], { description: 'remove an environment variable, from the next start' });
  ulimit = Option.Array('--ulimit', [], { description: 'the process limits, replacing the old ones: NAME=SOFT[:HARD], from the next start' });
  latest = latestFlag();
  healthCmd = refused('--health-cmd');
  healthInterval = refused('--health-interval');
  healthLogDestination = refused('--health-log-destination');
  healthMaxLogCount = refused('--health-max-log-count');
  healthMaxLogSize = refused('--health-max-log-size');
  healthOnFailure = refused('--health-on-failure');
  healthRetries = refused('--health-retries');
  healthStartPeriod = refused('--health-start-period');
  healthStartupCmd = refused('--health-startup-cmd');
  healthStartupInterval = refused('--health-startup-interval');
  healthStartupRetries = refused('--health-startup-retries');
  healthStartupSuccess = refused('--health-startup-success');
  healthStartupTimeout = refused('--health-startup-timeout');
  healthTimeout = refused('--health-timeout');
  noHealthcheck = refused('--no-healthcheck');
  memorySwappiness = refused('--memory-swappiness');
  cpuRtPeriod = refused('--cpu-rt-period');
  cpuRtRuntime = refused('--cpu-rt-runtime');
  names = Option.Rest();

  async execute(): Promise<number> {
    // Podman's argument check: one container, or --latest and none.
    const want = this.latest ? 0 : 1;
    if (this.names.length !== want) throw new InvalidArgumentError(this.latest ? '--latest and containers cannot be used together' : `accepts 1 arg(s), received ${this.names.length}`);
    const id = await this.engine.containers.update(this.names[0], {
      latest: this.latest,
      restart: this.restart,
      env: this.env,
      unsetEnv: this.unsetenv,
      ulimits: this.ulimit,
      resources: this.resourceOptions(),
    });
    this.context.stdout.write(`${id}\n`);
    return 0;
  }
}

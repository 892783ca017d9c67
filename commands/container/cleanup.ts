import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class ContainerCleanupCommand extends TspodCommand {
  static override paths = [['container', 'cleanup']];
  static override needsUserNamespace = true;
  static override usage = Command.Usage({
    category: 'hidden',
    description: "Clean up after a container exited (run by the container's monitor)",
  });
  name = Option.String();

  /**
   * A monitor whose container `system reset` killed runs this after the store is gone: entering the
   * namespace and opening the database would make the store again, so there is nothing to clean.
   */
  override nothingToDo(): boolean {
    return !this.engine.hasStore();
  }

  async execute(): Promise<number> {
    await this.engine.containers.cleanup(this.name);
    return 0;
  }
}

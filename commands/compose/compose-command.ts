// The base of every `compose` verb: Docker Compose's global options (accepted before the verb too:
// src/main.ts moves them after it) and the project they name, loaded once per invocation.
import { Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';
import type { Project, ProjectOptions } from '../../libpod/entities';

export abstract class ComposeCommand extends TspodCommand {
  static override needsUserNamespace = true;

  files = Option.Array('-f,--file', [], { description: 'compose configuration files ("-" for stdin)' });
  projectName = Option.String('-p,--project-name', { description: 'project name' });
  projectDirectory = Option.String('--project-directory', { description: 'alternate working directory (default: the first file\'s directory)' });
  profiles = Option.Array('--profile', [], { description: 'profiles to enable' });
  envFiles = Option.Array('--env-file', [], { description: 'alternate environment files' });

  private projectInstance?: Project;

  /** Compose's project options from the flags and the environment (COMPOSE_* are read by the loader). */
  projectOptions(): ProjectOptions {
    return {
      files: this.files,
      projectName: this.projectName,
      projectDirectory: this.projectDirectory,
      profiles: this.profiles,
      envFiles: this.envFiles,
      env: process.env,
      workingDir: process.cwd(),
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      stdin: () => (require('node:fs') as typeof import('node:fs')).readFileSync(0, 'utf8'),
    };
  }

  /** The project, loaded on first use. */
  get project(): Project {
    this.projectInstance ??= this.engine.compose.loadProject(this.projectOptions());
    return this.projectInstance;
  }
}

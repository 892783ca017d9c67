// The shapes the build's parts meet at: the parsed Dockerfile (dockerfile.ts), the context and its
// files (build-context.ts, context-files.ts), and the options `tspod build` hands the engine
// (build-engine.ts). Types only.

/** A heredoc body attached to an instruction (`RUN <<EOF`, `COPY <<EOF /path`). */
export interface Heredoc {
  /** The delimiter word, quotes removed ("EOF"). */
  name: string;
  /** The body: the lines between the instruction and the delimiter, each ending in "\n"; tabs stripped for <<-. */
  content: string;
  /** False when the delimiter was quoted (<<"EOF", <<'EOF'): the body is not expanded. */
  expand: boolean;
  /** The file descriptor before << (`RUN 3<<EOF`), if one was given. */
  fd?: number;
}

/** One flag before an instruction's arguments (`COPY --from=build --chown=1:1 ...`). */
export interface InstructionFlag {
  /** The name without dashes ("from"). */
  name: string;
  /** The value after "=", as written (not expanded); undefined for `--flag` alone. */
  value: string | undefined;
}

/** One instruction, as written: nothing expanded yet (expansion depends on ARG/ENV at that step). */
export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... (unknown keywords are a parse error). */
  keyword: string;
  flags: InstructionFlag[];
  /** The text after the flags, continuations joined, comments inside continuations dropped, escapes kept. */
  args: string;
  /** The exec (JSON) form, when args is a JSON array of strings. */
  json?: string[];
  heredocs: Heredoc[];
  /** 1-based line of the keyword in the file. */
  line: number;
  /** The instruction as one line ("RUN apt-get update && ..."), for STEP lines and messages. */
  original: string;
}

export interface Dockerfile {
  /** The escape character (`# escape=` directive): "\\" or "`". */
  escape: string;
  /** Parser directives from the top of the file (syntax, escape, check), lower-case names. */
  directives: Record<string, string>;
  instructions: Instruction[];
}

/** `--secret id=ID,src=FILE|env=VAR[,type=file|env]`, parsed. */
export interface BuildSecret {
  id: string;
  /** The secret's bytes are read from here at the RUN that mounts it, never stored. */
  source: { file: string } | { env: string };
}

/** What `tspod build` asks of the engine (options as Podman's build takes them, checked by the command). */
export interface BuildOptions {
  /** The context: a directory, "-" (a tar on stdin, or a Dockerfile on stdin when -f is not given), or an http(s):// tarball or Dockerfile. */
  context: string;
  /** -f: Containerfiles, relative to the context or absolute, or "-" (stdin). Several are concatenated. */
  files: string[];
  /** --ignorefile. */
  ignoreFile?: string;
  tags: string[];
  iidFile?: string;
  format: 'oci' | 'docker';
  /** --build-arg K=V or K (from our environment), --build-arg-file lines: already merged, later wins. */
  buildArgs: Record<string, string>;
  target?: string;
  labels: string[];
  annotations: string[];
  /** --env K=V (or K from our environment), --unsetenv K: applied to the final image's config. */
  env: string[];
  unsetEnv: string[];
  unsetLabels: string[];
  noCache: boolean;
  /** --pull: always, missing, never, newer (--pull alone = always, as Podman). */
  pull: 'always' | 'missing' | 'never' | 'newer';
  /** --layers (default true): intermediate images and the cache; false: one commit per stage's end. */
  layers: boolean;
  squash: boolean;
  squashAll: boolean;
  /** --cache-ttl in ms: cached steps older than this are not used. */
  cacheTtlMs?: number;
  /** -o type=local,dest=DIR | type=tar,dest=FILE|- (also the short form DIR). */
  output?: { type: 'local' | 'tar'; dest: string };
  quiet: boolean;
  /** RUN's network: slirp4netns (default), none, host, private (= default). */
  network?: string;
  noHosts: boolean;
  addHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  ulimits: string[];
  userns?: string;
  devices: string[];
  volumes: string[];
  shmSize?: string;
  /** --timestamp SECONDS: created times and every file's mtime in the layers set to it (reproducible). */
  timestamp?: number;
  /** --source-date-epoch: the created times only (and SOURCE_DATE_EPOCH as a build arg). */
  sourceDateEpoch?: number;
  /** --rm (default true): remove build containers after a successful step; --force-rm: also after a failed one. */
  rm: boolean;
  forceRm: boolean;
  secrets: BuildSecret[];
  /** --platform: only the native platform is built (the command refuses others). */
  platform?: { os: string; architecture: string; variant?: string };
  /** Registry flags used when a FROM image is pulled. */
  pulling?: { creds?: string; authFile?: string; tlsVerify?: boolean; certDir?: string; retry?: string; retryDelay?: string };
  /** --omit-history: no history entries in the result. */
  omitHistory: boolean;
  /** --identity-label (default true): io.buildah.version-like label tspod adds: io.tspod.version. */
  identityLabel: boolean;
  /** --skip-unused-stages (default true). */
  skipUnusedStages: boolean;
  /** --from: replaces the first FROM's image. */
  from?: string;
  /** --cpp-flag etc. are refused by the command; --logfile writes progress there. */
  logFile?: string;
  /** --runtime. */
  runtime?: string;
  /** --stdin: RUN steps get our stdin. */
  stdin: boolean;
  /** Also `--compat-volumes`, `--inherit-labels` (default true), `--inherit-annotations` (default true). */
  inheritLabels: boolean;
  inheritAnnotations: boolean;
}

/** What a build reports: the image ID (sha256:...) and the names it was given. */
export interface BuildReport {
  id: string;
  names: string[];
}

/** Where a build reads (stdin: a context or Containerfile, or --stdin for RUN) and writes (progress on stdout, warnings on stderr). */
export interface BuildIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** `builder prune` / `image prune --build-cache`: what was removed and the space it freed. */
export interface BuildPruneReport {
  removed: string[];
  reclaimedBytes: number;
}

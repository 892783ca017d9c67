// The flags `create` and `run` share (Podman's common create flags), in one place, and the
// options object the engine takes from them.
import { Option } from 'clipanion';
import { InvalidArgumentError } from '../../src/errors';
import { ResourceFlagsCommand } from './resource-flags';
import { refusedOption } from '../refused-option';
import { progressFor } from '../../src/progress';
import type { CreateOptions } from '../../libpod/entities';

/** A whole number of seconds, or a clear error naming the flag. */
export function seconds(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`invalid value "${value}" for ${flag}: give a whole number of seconds`);
  return Number(value);
}

export abstract class CreateFlagsCommand extends ResourceFlagsCommand {
  static override needsUserNamespace = true;

  name = Option.String('--name', { description: 'assign a name to the container' });
  env = Option.Array('-e,--env', [], { description: 'set an environment variable (KEY=VALUE, or KEY to pass ours)' });
  envFile = Option.Array('--env-file', [], { description: 'read environment variables from a file (KEY=VALUE lines)' });
  workdir = Option.String('-w,--workdir', { description: 'working directory inside the container' });
  user = Option.String('-u,--user', { description: 'user[:group] to run as (names or numeric IDs)' });
  entrypoint = Option.String('--entrypoint', { description: 'override the image entrypoint (a word, or a JSON array; "" clears it)' });
  hostname = Option.String('--hostname', { description: 'container host name (default: the short ID)' });
  label = Option.Array('-l,--label', [], { description: 'set a label (key=value)' });
  readOnly = Option.Boolean('--read-only', false, { description: 'mount the root filesystem read-only' });
  init = Option.Boolean('--init', false, { description: 'run an init (catatonit) as PID 1 that forwards signals and reaps zombies' });
  cidfile = Option.String('--cidfile', { description: 'write the container ID to this file' });
  replace = Option.Boolean('--replace', false, { description: 'replace an existing container of the same name' });
  stopSignal = Option.String('--stop-signal', { description: 'signal that stops the container (default SIGTERM, or the image\'s)' });
  stopTimeout = Option.String('--stop-timeout', { description: 'seconds to wait after the stop signal before SIGKILL (default 10)' });
  pull = Option.String('--pull', 'missing', { description: 'pull the image: always, missing, never, newer' });
  capAdd = Option.Array('--cap-add', [], { description: 'add a capability (e.g. NET_ADMIN, or ALL)' });
  capDrop = Option.Array('--cap-drop', [], { description: 'drop a capability (e.g. CHOWN, or ALL)' });
  securityOpt = Option.Array('--security-opt', [], { description: 'security options: seccomp=PROFILE|unconfined, label=..., apparmor=, mask=PATHS, unmask=ALL|PATHS, proc-opts=, systempaths=unconfined, no-new-privileges' });
  interactive = Option.Boolean('-i,--interactive', false, { description: 'keep stdin open' });
  tty = Option.Boolean('-t,--tty', false, { description: 'allocate a pseudo-terminal' });
  rm = Option.Boolean('--rm', false, { description: 'remove the container when it exits' });
  network = Option.String('--network,--net', { description: 'network mode: slirp4netns[:opts] or pasta[:opts] (the default is configurable), none, host, container:NAME, or networks by name (podman or bridge: the default network)' });
  volume = Option.Array('-v,--volume', [], { description: 'mount a volume or host path: NAME:/path or /host:/path[:ro,U,nocopy,...]; /path alone: an anonymous volume' });
  mount = Option.Array('--mount', [], { description: 'type=bind|volume|tmpfs|ramfs|image|devpts|glob,source=,target=[,readonly,bind-propagation=,subpath=,tmpfs-size=,...]' });
  tmpfs = Option.Array('--tmpfs', [], { description: 'a tmpfs at /path[:size=64m,mode=1777,...]' });
  volumesFrom = Option.Array('--volumes-from', [], { description: "mount another container's volumes and binds: CTR[:ro|rw]" });
  networkAlias = Option.Array('--network-alias', [], { description: 'another name the container has on its user-defined networks' });
  ip = Option.String('--ip', { description: 'the address on its (first) user-defined network' });
  macAddress = Option.String('--mac-address', { description: 'the MAC address on its (first) user-defined network' });
  publish = Option.Array('-p,--publish', [], { description: 'publish a port: [[IP:][HOST_PORT]:]CONTAINER_PORT[/tcp|udp], ranges as 8000-8010:80-90' });
  publishAll = Option.Boolean('-P,--publish-all', false, { description: "publish every port the image exposes to a free host port" });
  dns = Option.Array('--dns', [], { description: 'name server for the container (none: no name server)' });
  dnsSearch = Option.Array('--dns-search', [], { description: 'DNS search domain (. for none)' });
  dnsOption = Option.Array('--dns-option', [], { description: 'resolv.conf option, e.g. ndots:2' });
  addHost = Option.Array('--add-host', [], { description: 'HOST:IP line for /etc/hosts (IP host-gateway: the host)' });
  runtime = Option.String('--runtime', { description: 'OCI runtime to use (runc, crun, or a path)' });
  restart = Option.String('--restart', { description: 'restart policy: no, always, unless-stopped, on-failure[:max-retries]' });
  sdnotify = Option.String('--sdnotify', 'container', { description: 'under systemd (Type=notify): container (it reports READY itself), conmon (tspod reports READY once it runs), ignore' });
  ulimit = Option.Array('--ulimit', [], { description: 'a process limit: NAME=SOFT[:HARD] (-1: unlimited), or host for all of ours' });
  shmSize = Option.String('--shm-size', { description: 'size of /dev/shm (default 64m)' });
  sysctl = Option.Array('--sysctl', [], { description: 'a namespaced kernel setting: KEY=VALUE (net.*, fs.mqueue.*, kernel.shm*/msg*/sem)' });
  tz = Option.String('--tz', { description: 'time zone of the container: local, or a name such as Asia/Shanghai' });
  annotation = Option.Array('--annotation', [], { description: 'an annotation of the runtime spec: KEY=VALUE' });
  labelFile = Option.Array('--label-file', [], { description: 'read labels from a file (KEY=VALUE lines)' });
  expose = Option.Array('--expose', [], { description: 'a port the container listens on: PORT[/PROTO] or START-END[/PROTO]' });
  umask = Option.String('--umask', { description: 'umask of the container process (default 0022)' });
  unsetenv = Option.Array('--unsetenv', [], { description: 'unset a default or image variable' });
  unsetenvAll = Option.Boolean('--unsetenv-all', false, { description: 'unset every default and image variable (-e ones stay)' });
  envHost = Option.Boolean('--env-host', false, { description: 'pass all of our environment variables into the container' });
  noHosts = Option.Boolean('--no-hosts', false, { description: "do not write /etc/hosts: keep the image's" });
  oomScoreAdj = Option.String('--oom-score-adj', { description: "the process's OOM score adjustment, -1000 to 1000 (rootless: not below ours)" });
  timeout = Option.String('--timeout', { description: 'seconds the container may run before it is killed (0: no limit)' });
  // pulling the image, attaching, dependencies, what waits for pods and healthchecks (issue 19)
  platform = Option.String('--platform', { description: 'os/arch[/variant] to pull from a multi-platform image' });
  arch = Option.String('--arch', { description: 'architecture to pull (default: this host)' });
  os = Option.String('--os', { description: 'operating system to pull (default: linux)' });
  variant = Option.String('--variant', { description: 'architecture variant, e.g. v8' });
  creds = Option.String('--creds', { description: 'USERNAME:PASSWORD for the registry' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS and verify certificates (default true)' });
  certDir = Option.String('--cert-dir', { description: "directory of the registry's certificates (*.crt, *.cert, *.key)" });
  retry = Option.String('--retry', { description: 'how often a failed request or download is tried again (default 4)' });
  retryDelay = Option.String('--retry-delay', { description: 'pause between tries of a pull (e.g. 2s; default doubling from 200ms)' });
  decryptionKey = refusedOption('create', '--decryption-key');
  disableContentTrust = Option.Boolean('--disable-content-trust', false, { description: 'accepted for Docker scripts; does nothing (as in Podman)' });
  attach = Option.Array('-a,--attach', [], { description: 'attach only these streams: stdin, stdout, stderr' });
  requires = Option.Array('--requires', [], { description: 'containers started before this one (NAME[,NAME...])' });
  pod = Option.String('--pod', { description: 'run in this pod (NAME or ID), or new:NAME to create the pod first (-p and the network options then go to the pod)' });
  podIdFile = Option.String('--pod-id-file', { description: 'run in the pod whose ID is in this file (pod create --pod-id-file)' });
  // healthchecks, run by the monitor (issue 20)
  healthCmd = Option.String('--health-cmd', { description: 'the healthcheck: a command for /bin/sh -c, a JSON array, or none' });
  healthInterval = Option.String('--health-interval', { description: 'time between checks (default 30s; disable: only "tspod healthcheck run")' });
  healthTimeout = Option.String('--health-timeout', { description: 'time a check may take before it is killed and failed (default 30s)' });
  healthRetries = Option.String('--health-retries', { description: 'failures in a row that make the container unhealthy (default 3)' });
  healthStartPeriod = Option.String('--health-start-period', { description: 'time after the start when failures do not count (default 0s)' });
  healthStartInterval = Option.String('--health-start-interval', { description: 'time between checks during the start period (default: the interval)' });
  healthOnFailure = Option.String('--health-on-failure', { description: 'when it turns unhealthy: none, kill, restart or stop' });
  healthLogDestination = Option.String('--health-log-destination', { description: 'local (default), events_logger, or a directory for ID-healthcheck.log' });
  healthMaxLogCount = Option.String('--health-max-log-count', { description: 'results kept (default 5; 0: all)' });
  healthMaxLogSize = Option.String('--health-max-log-size', { description: 'characters of output kept of each result (default 4096; 0: all)' });
  healthStartupCmd = Option.String('--health-startup-cmd', { description: 'a check that gates the regular one until it succeeds' });
  healthStartupInterval = Option.String('--health-startup-interval', { description: 'time between startup checks (default 30s)' });
  healthStartupRetries = Option.String('--health-startup-retries', { description: 'startup failures after which the container is restarted (default 0: never)' });
  healthStartupSuccess = Option.String('--health-startup-success', { description: 'startup successes needed (default 0: the first)' });
  healthStartupTimeout = Option.String('--health-startup-timeout', { description: 'time a startup check may take (default 30s)' });
  noHealthcheck = Option.Boolean('--no-healthcheck', false, { description: "no healthcheck, not even the image's" });
  // user namespaces and /etc/passwd (issue 19)
  userns = Option.String('--userns', { description: 'user namespace: host (default), keep-id[:uid=,gid=,size=], auto[:size=,uidmapping=,gidmapping=], nomap, private, ns:PATH' });
  uidmap = Option.Array('--uidmap', [], { description: 'UID map of a new user namespace: [+ug]CONTAINER:[@]FROM[:AMOUNT] (FROM: an ID of your rootless namespace; @: a host ID)' });
  gidmap = Option.Array('--gidmap', [], { description: 'GID map of a new user namespace: [+ug]CONTAINER:[@]FROM[:AMOUNT]' });
  subuidname = Option.String('--subuidname', { description: 'map the /etc/subuid ranges of this name' });
  subgidname = Option.String('--subgidname', { description: 'map the /etc/subgid ranges of this name' });
  groupAdd = Option.Array('--group-add', [], { description: 'an extra group of the container process (name, number, or keep-groups)' });
  hostuser = Option.Array('--hostuser', [], { description: "add this host user (name or UID) to the container's /etc/passwd" });
  passwdEntry = Option.String('--passwd-entry', { description: 'the /etc/passwd line to add: $USERNAME, $UID, $GID, $NAME and $HOME are replaced' });
  groupEntry = Option.String('--group-entry', { description: 'the /etc/group line to add: $GROUPNAME, $GID and $USERLIST are replaced' });
  passwd = Option.Boolean('--passwd', true, { description: 'add entries to /etc/passwd and /etc/group (--passwd=false: leave them as the image has them)' });
  // logs, pid files, secrets, rootfs, env merge, proxies (issue 19)
  logDriver = Option.String('--log-driver', { description: 'where the output is logged: k8s-file (default), json-file (the same), none, passthrough' });
  logOpt = Option.Array('--log-opt', [], { description: 'log option: path=FILE, max-size=SIZE (the file is truncated past it), tag=TAG' });
  conmonPidfile = Option.String('--conmon-pidfile', { description: "write the monitor's PID to this file" });
  pidfile = Option.String('--pidfile', { description: "write the container process's PID to this file" });
  secret = Option.Array('--secret', [], { description: 'give it a secret: NAME[,type=mount|env,target=,uid=,gid=,mode=]' });
  rootfs = Option.Boolean('--rootfs', false, { description: 'the first argument is a directory holding the root filesystem (DIR[:O]: changes go to an overlay)' });
  envMerge = Option.Array('--env-merge', [], { description: "set a variable from the image's: NAME=...${NAME}..." });
  httpProxy = Option.Boolean('--http-proxy', true, { description: 'pass our http_proxy, https_proxy, ftp_proxy, no_proxy (and upper case) into the container' });
  // links and IPv6 addresses (issue 19)
  link = Option.Array('--link', [], { description: "NAME[:ALIAS]: the other container's name and alias resolve in this one (/etc/hosts); needs a shared network" });
  ip6 = refusedOption('run', '--ip6');
  linkLocalIp = Option.Array('--link-local-ip', [], { description: 'a link-local address (169.254.0.0/16) added on its first network' });
  // privileges, devices, security, namespaces and spec shaping (issue 19)
  privileged = Option.Boolean('--privileged', false, { description: 'every capability, no seccomp filter, no masked kernel paths, the host\'s devices' });
  device = Option.Array('--device', [], { description: 'a host device in the container: HOST[:CONTAINER][:PERMISSIONS] (r, w, m)' });
  deviceCgroupRule = Option.Array('--device-cgroup-rule', [], { description: 'a device cgroup rule (refused rootless: use --device)' });
  gpus = refusedOption('run', '--gpus');
  seccompPolicy = Option.String('--seccomp-policy', { description: 'default, or image (the image\'s io.containers.seccomp.profile label)' });
  pid = Option.String('--pid', { description: 'PID namespace: private, host, container:NAME, ns:PATH' });
  ipc = Option.String('--ipc', { description: 'IPC namespace: shareable, private, none, host, container:NAME, ns:PATH' });
  uts = Option.String('--uts', { description: 'UTS namespace: private, host, container:NAME, ns:PATH' });
  cgroupns = Option.String('--cgroupns', { description: 'cgroup namespace: host or private (cgroups v1: always host)' });
  cgroups = Option.String('--cgroups', { description: 'cgroup mode: enabled, disabled, no-conmon, split' });
  cgroupParent = Option.String('--cgroup-parent', { description: 'the cgroup the container\'s cgroup is made under' });
  cgroupConf = Option.Array('--cgroup-conf', [], { description: 'a cgroup v2 setting: KEY=VALUE' });
  systemd = Option.String('--systemd', { description: 'systemd mode: true (when the command is init or systemd), false, always' });
  readOnlyTmpfs = Option.Boolean('--read-only-tmpfs', true, { description: 'with --read-only: tmpfs on /run, /tmp and /var/tmp (default true)' });
  hostsFile = Option.String('--hosts-file', { description: 'base of /etc/hosts: a file, none, or image' });
  noHostname = Option.Boolean('--no-hostname', false, { description: "do not write /etc/hostname: keep the image's" });
  imageVolume = Option.String('--image-volume', { description: "the image's VOLUMEs: bind (anonymous volumes), tmpfs, ignore" });
  chrootdirs = Option.Array('--chrootdirs', [], { description: 'a chroot directory inside the container kept up to date with /etc/hosts and resolv.conf' });
  initPath = Option.String('--init-path', { description: 'the init binary for --init (default: catatonit)' });
  personality = Option.String('--personality', { description: 'execution domain: LINUX or LINUX32' });
  oomKillDisable = Option.Boolean('--oom-kill-disable', false, { description: 'do not let the OOM killer kill the container (cgroups v2)' });
  memorySwappiness = Option.String('--memory-swappiness', { description: 'swappiness, 0 to 100 (-1: the system\'s) (cgroups v2)' });
  cpuRtPeriod = Option.String('--cpu-rt-period', { description: 'CPU real-time period in microseconds (cgroups v2)' });
  cpuRtRuntime = Option.String('--cpu-rt-runtime', { description: 'CPU real-time runtime in microseconds (cgroups v2)' });
  rdtClass = Option.String('--rdt-class', { description: 'Intel RDT class of service (needs /sys/fs/resctrl)' });
  shmSizeSystemd = Option.String('--shm-size-systemd', { description: 'size of systemd mode\'s tmpfs mounts (default: half the memory)' });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'suppress the pull progress' });
  image = Option.String();
  command = Option.Proxy();

  protected createOptions(): CreateOptions {
    return {
      image: this.image,
      command: this.command,
      name: this.name,
      env: this.env,
      envFiles: this.envFile,
      workdir: this.workdir,
      user: this.user,
      entrypoint: this.entrypoint,
      hostname: this.hostname,
      labels: this.label,
      readOnly: this.readOnly,
      init: this.init,
      cidFile: this.cidfile,
      replace: this.replace,
      stopSignal: this.stopSignal,
      stopTimeout: this.stopTimeout === undefined ? undefined : seconds(this.stopTimeout, '--stop-timeout'),
      pull: this.pull,
      capAdd: this.capAdd,
      capDrop: this.capDrop,
      securityOpt: this.securityOpt,
      interactive: this.interactive,
      tty: this.tty,
      rm: this.rm,
      network: this.network,
      publish: this.publish,
      networkAliases: this.networkAlias,
      volumes: this.volume,
      mounts: this.mount,
      tmpfs: this.tmpfs,
      volumesFrom: this.volumesFrom,
      ip: this.ip,
      macAddress: this.macAddress,
      publishAll: this.publishAll,
      dns: this.dns,
      dnsSearch: this.dnsSearch,
      dnsOptions: this.dnsOption,
      addHosts: this.addHost,
      runtime: this.runtime,
      restart: this.restart,
      sdNotify: this.sdnotify,
      ulimits: this.ulimit,
      shmSize: this.shmSize,
      sysctls: this.sysctl,
      tz: this.tz,
      annotations: this.annotation,
      labelFiles: this.labelFile,
      expose: this.expose,
      umask: this.umask,
      unsetEnv: this.unsetenv,
      unsetEnvAll: this.unsetenvAll,
      envHost: this.envHost,
      noHosts: this.noHosts,
      oomScoreAdj: this.oomScoreAdj,
      timeout: this.timeout === undefined ? undefined : seconds(this.timeout, '--timeout'),
      resources: this.resourceOptions(),
      pulling: {
        platform: this.platform,
        os: this.os,
        arch: this.arch,
        variant: this.variant,
        creds: this.creds,
        authFile: this.authfile,
        tlsVerify: this.tlsVerify,
        certDir: this.certDir,
        retry: this.retry,
        retryDelay: this.retryDelay,
      },
      attach: this.attach,
      requires: this.requires,
      health: {
        cmd: this.healthCmd,
        interval: this.healthInterval,
        timeout: this.healthTimeout,
        retries: this.healthRetries,
        startPeriod: this.healthStartPeriod,
        startInterval: this.healthStartInterval,
        onFailure: this.healthOnFailure,
        logDestination: this.healthLogDestination,
        maxLogCount: this.healthMaxLogCount,
        maxLogSize: this.healthMaxLogSize,
        startupCmd: this.healthStartupCmd,
        startupInterval: this.healthStartupInterval,
        startupRetries: this.healthStartupRetries,
        startupSuccess: this.healthStartupSuccess,
        startupTimeout: this.healthStartupTimeout,
        none: this.noHealthcheck,
      },
      // Only when one is given: the common run reads no namespace facts and loads none of it.
      userns: [this.userns, this.subuidname, this.subgidname, this.passwdEntry, this.groupEntry].some((v) => v !== undefined) || [this.uidmap, this.gidmap, this.groupAdd, this.hostuser].some((a) => a.length) || !this.passwd
        ? { userns: this.userns, uidmap: this.uidmap, gidmap: this.gidmap, subuidname: this.subuidname, subgidname: this.subgidname, groupAdd: this.groupAdd, hostuser: this.hostuser, passwdEntry: this.passwdEntry, groupEntry: this.groupEntry, passwd: this.passwd }
        : undefined,
      logsSecrets: { logDriver: this.logDriver, logOpts: this.logOpt, conmonPidFile: this.conmonPidfile, pidFile: this.pidfile, secrets: this.secret, rootfs: this.rootfs, envMerge: this.envMerge, httpProxy: this.httpProxy },
      links: { link: this.link, linkLocalIp: this.linkLocalIp },
      security: {
        privileged: this.privileged,
        devices: this.device,
        deviceCgroupRules: this.deviceCgroupRule,
        seccompPolicy: this.seccompPolicy,
        pid: this.pid,
        ipc: this.ipc,
        uts: this.uts,
        cgroupns: this.cgroupns,
        cgroups: this.cgroups,
        cgroupParent: this.cgroupParent,
        cgroupConf: this.cgroupConf,
        systemd: this.systemd,
        readOnlyTmpfs: this.readOnlyTmpfs,
        hostsFile: this.hostsFile,
        noHostname: this.noHostname,
        imageVolume: this.imageVolume,
        chrootDirs: this.chrootdirs,
        initPath: this.initPath,
        personality: this.personality,
        oomKillDisable: this.oomKillDisable,
        memorySwappiness: this.memorySwappiness,
        cpuRtPeriod: this.cpuRtPeriod,
        cpuRtRuntime: this.cpuRtRuntime,
        rdtClass: this.rdtClass,
        shmSizeSystemd: this.shmSizeSystemd,
      },
      ...(this.pod !== undefined ? { pod: this.pod } : {}),
      ...(this.podIdFile !== undefined ? { podIdFile: this.podIdFile } : {}),
      createCommand: process.argv.slice(2),
      createCwd: process.cwd(),
      progress: progressFor(process.stderr, this.quiet),
    };
  }
}

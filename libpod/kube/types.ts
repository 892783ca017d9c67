// The shapes kube play, kube generate and kube down share (libpod/kube/): the objects of a file as
// parsed, what a pod template translates to (options the pod and container engines already take,
// so everything a file asks for passes the same checks as the CLI's flags), and the contract of
// the service proxy that publishes a Service's ports in front of a Deployment's replicas.
import type { CreateOptions } from '../container/create-spec';
import type { PodCreateOptions } from '../pod/types';

/** A Kubernetes object as the YAML gave it (only the parts tspod reads are typed). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  binaryData?: Record<string, string>;
  [k: string]: unknown;
}

/** One document of a (multi-document) file, with where it came from for messages. */
export interface KubeDocument {
  /** "FILE, document N" (1-based), for every message about it. */
  where: string;
  object: KubeObject;
}

/** What a pod template needs from the rest of the play: the file's other objects, the user's flags. */
export interface TranslateContext {
  /** ConfigMaps by name: the file's, then --configmap files' (the file's win, as Podman's). */
  configMaps: Map<string, KubeObject>;
  /** Secrets by name: the file's (data base64-decoded by the translator), then tspod's secret store is not consulted. */
  secrets: Map<string, KubeObject>;
  /** The name the pod gets (a Deployment's replica: "<name>-pod-<i>"); containers are "<pod>-<container>". */
  podName: string;
  /** Added by kube-input: "FILE, document N" of the object the template is in, for messages (default: the pod's name). */
  where?: string;
  /** --strict: unsupported fields are errors; otherwise warnings. */
  strict: boolean;
  /** Where warnings go (the play prints them on stderr once each). */
  warn(message: string): void;
  /**
   * Writes the files of a configMap, secret or downwardAPI volume (or items of one) into a
   * directory the play owns (under the store, removed by kube down) and returns its path, which the
   * translator bind-mounts read-only. Modes are the volume's defaultMode / items' mode.
   */
  materialize(podName: string, volumeName: string, files: Array<{ path: string; data: Buffer; mode: number }>): string;
  /** --annotation KEY=VALUE of kube play, added to every container. */
  annotations: string[];
  /** --log-driver, --log-opt of kube play. */
  logDriver?: string;
  logOptions?: string[];
  /** --userns, --no-hosts... of kube play that reach every container's create. */
  userns?: string;
  noHosts?: boolean;
}

/** One container of a pod as create options (without pod, name's pod prefix already applied). */
export interface ContainerPlan {
  /** The name in the file (spec.containers[].name). */
  name: string;
  init: boolean;
  /** An init container's --init-ctr: "always" or "once" (Podman's annotation io.podman.annotations.init.container.type). */
  initType?: 'always' | 'once';
  create: Omit<CreateOptions, 'createCommand' | 'createCwd' | 'progress'>;
  /** Added by kube-input: securityContext.runAsNonRoot without runAsUser: the play refuses to create it when the image's user is root (0), as the kubelet does. */
  runAsNonRoot?: boolean;
}

/** A pod template (a Pod's spec, a Deployment's spec.template) as what tspod makes of it. */
export interface TranslatedPod {
  /** The pod's own options (host name, host aliases, DNS, shared PID, host network, published hostPorts, restart policy, labels). */
  pod: Omit<PodCreateOptions, 'createCommand' | 'createCwd' | 'replace'>;
  containers: ContainerPlan[];
  /** Named volumes its persistentVolumeClaim volumes name (made if missing, kept by kube down unless --force). */
  claims: string[];
  /** The containerPorts by name and number, for a Service's targetPort (a name or a number). */
  containerPorts: Array<{ name?: string; containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP' }>;
  /**
   * Added by kube-input: hostPath volumes of type DirectoryOrCreate / FileOrCreate that do not
   * exist yet. Nothing is made by the translation (kube play checks everything first); the play
   * makes these (makeHostPaths in volumes-from-kube.ts) before it creates the containers, whose
   * create refuses a bind source that is missing.
   */
  hostPaths: Array<{ path: string; type: 'directory' | 'file' }>;
  /** Added by kube-input: named volumes made for its emptyDir volumes ("<pod>-<volume>", shared by its containers): the pod's own, removed with it by kube down and made anew by --replace. */
  emptyDirs: string[];
  /** Added by kube-input: a container's readinessProbe as the check a rolling update waits for, by container name (the liveness check is create.health). */
  readiness: Record<string, import('../container/health-flags').HealthOptions>;
}

/**
 * The service proxy's endpoints file (<runroot>/kube/services/<service>.json), written by play
 * and read by the proxy at each new connection when its mtime changed: for each published port,
 * the 127.0.0.1 ports of the ready replicas it forwards to (round robin; a refused endpoint is
 * skipped, so a replica going away during a rolling update is never seen by the client).
 */
export interface ServiceEndpoints {
  service: string;
  ports: Array<{
    /** The host address and port the proxy listens on (Service port, or nodePort when given). */
    hostIp: string;
    hostPort: number;
    protocol: 'tcp' | 'udp';
    /** 127.0.0.1 ports of the replicas (each replica publishes its targetPort on one of its own). */
    endpoints: number[];
  }>;
}

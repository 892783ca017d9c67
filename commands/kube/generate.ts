import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class KubeGenerateCommand extends TspodCommand {
  static override paths = [['kube', 'generate'], ['generate', 'kube']];
  static override usage = Command.Usage({
    description: 'Generate Kubernetes YAML from containers, pods or volumes',
    details:
      'Containers given together become one Pod (named after the first, "<container>-pod"); each pod becomes a Pod of its containers (its infra container left out); each volume a PersistentVolumeClaim. Bind mounts become hostPath volumes, named volumes persistentVolumeClaims, tmpfs an emptyDir in memory; a healthcheck becomes a livenessProbe. Every name is valid for Kubernetes (RFC 1123): a container name it cannot take as is (with "_" or ".") is written as a valid one and kept in the annotation io.tspod.container-name/<name>. tspod never shortens annotations (--no-trunc is accepted for Podman\'s scripts).',
    examples: [
      ['A Pod for a container', '$0 kube generate web'],
      ['A Deployment of three replicas with a Service, into a file', '$0 kube generate --type deployment --replicas 3 --service -f web.yaml web'],
    ],
  });
  filename = Option.String('-f,--filename', { description: 'write the YAML to this file (which must not exist) instead of printing it' });
  service = Option.Boolean('-s,--service', false, { description: 'add a NodePort Service for the published ports' });
  type = Option.String('-t,--type', 'pod', { description: 'the kind to write: pod, deployment, daemonset or job' });
  replicas = Option.String('-r,--replicas', '1', { description: 'the replicas of a Deployment (with --type deployment)' });
  podmanOnly = Option.Boolean('--podman-only', false, { description: 'add the annotations only Podman and tspod read (autoremove, init, privileged)' });
  noTrunc = Option.Boolean('--no-trunc', false, { hidden: true, description: 'annotations are never shortened: accepted for Podman\'s scripts' });
  names = Option.Rest();

  async execute(): Promise<number> {
    const report = this.engine.kube.generate(this.names, { type: this.type, replicas: this.replicas, service: this.service, podmanOnly: this.podmanOnly, filename: this.filename });
    if (!report.path) this.write(report.text);
    return 0;
  }
}

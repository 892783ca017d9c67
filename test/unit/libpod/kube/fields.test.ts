import { describe, expect, it } from 'vitest';
import { fieldMark, reportFields, unhandledFields } from '../../../../libpod/kube/fields';

describe('fields tspod reads, ignores and cannot honour', () => {
  it('knows how each path is taken', () => {
    expect(fieldMark('Pod', 'spec.containers[0].env[2].valueFrom.secretKeyRef.key')).toBe('read');
    expect(fieldMark('Deployment', 'spec.template.spec.volumes[].hostPath.type')).toBe('read');
    expect(fieldMark('Pod', 'metadata.labels.app')).toBe('read');
    expect(fieldMark('Pod', 'status.phase')).toBe('ignored');
    expect(fieldMark('Pod', 'metadata.creationTimestamp')).toBe('ignored');
    expect(fieldMark('Pod', 'spec.containers[0].lifecycle.preStop.exec')).toEqual({ unsupported: 'lifecycle hooks are not run' });
    expect(fieldMark('Pod', 'spec.containers[0].bogus')).toBeUndefined();
    expect(fieldMark('Ingress', 'spec')).toBeUndefined();
  });

  it('accepts what an API server adds without a word', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', uid: 'x', resourceVersion: '1', creationTimestamp: null, managedFields: [{ manager: 'kubectl' }], namespace: 'default' },
      spec: { dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', nodeName: 'n1', containers: [{ name: 'c', image: 'i', terminationMessagePath: '/dev/termination-log', resources: {} }] },
      status: { phase: 'Running', podIP: '10.0.0.1' },
    };
    expect(unhandledFields('Pod', pod)).toEqual([]);
  });

  it('reports unknown and unsupported fields of every kind by their path, once each', () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labelz: { a: 'b' } },
      spec: {
        replicas: 2,
        paused: true,
        template: { spec: { hostIPC: true, containers: [{ name: 'c', image: 'i' }, { name: 'e', image: 'i', resources: { limits: { 'nvidia.com/gpu': 1 } }, livenessProbe: { grpc: { port: 1 } } }] } },
      },
    };
    expect(unhandledFields('Deployment', dep)).toEqual([
      { path: 'metadata.labelz', why: 'unknown field: tspod does not know it (check its spelling and indentation)' },
      { path: 'spec.paused', why: 'not supported by tspod: a rollout cannot be paused' },
      { path: 'spec.template.spec.hostIPC', why: 'not supported by tspod: the pod keeps its own IPC namespace' },
      { path: 'spec.template.spec.containers[1].resources.limits.nvidia.com/gpu', why: 'not supported by tspod: only cpu and memory are limited' },
      { path: 'spec.template.spec.containers[1].livenessProbe.grpc', why: 'not supported by tspod: gRPC probes are not run: use exec, httpGet or tcpSocket' },
    ]);
    expect(unhandledFields('Service', { spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } })).toEqual([]);
    expect(unhandledFields('Service', { spec: { externalIPs: ['1.2.3.4'] } })).toEqual([{ path: 'spec.externalIPs', why: "not supported by tspod: ports are published on the host's addresses" }]);
    expect(unhandledFields('ConfigMap', { data: { a: 'b' }, date: {} })).toEqual([{ path: 'date', why: 'unknown field: tspod does not know it (check its spelling and indentation)' }]);
  });

  it('turns them into warnings, or the first into an error with strict', () => {
    const pod = { spec: { containers: [{ name: 'c', image: 'i', lifecycle: { postStart: {} }, portz: [] }] } };
    expect(reportFields('f.yaml, document 3', 'Pod', pod, false)).toEqual([
      'f.yaml, document 3: spec.containers[0].lifecycle.postStart: not supported by tspod: lifecycle hooks are not run: ignored',
      'f.yaml, document 3: spec.containers[0].portz: unknown field: tspod does not know it (check its spelling and indentation): ignored',
    ]);
    expect(() => reportFields('f.yaml, document 3', 'Pod', pod, true)).toThrow('f.yaml, document 3: spec.containers[0].lifecycle.postStart: not supported by tspod: lifecycle hooks are not run: remove it, or play without --strict to ignore it with a warning');
  });
});

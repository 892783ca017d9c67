import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { translatePod } from '../../../../libpod/kube/translate-pod';
import { expandRefs, secretData } from '../../../../libpod/kube/translate-env';
import { template, testContext } from './helpers';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-env-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const OBJECTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {MODE: fast, LEVEL: "3"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {USER: YWRtaW4=, PASS: b2xk}
stringData: {PASS: new}
`;

const pod = (env: string) => template(`apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
  annotations: {owner: ops}
spec:
  containers:
  - name: app
    image: busybox
${env}`);

describe('container environment', () => {
  it('takes values, ConfigMap and Secret keys, and the pod\'s fields', () => {
    const t = translatePod(
      pod(`    env:
    - {name: PLAIN, value: hello}
    - {name: EMPTY}
    - name: MODE
      valueFrom: {configMapKeyRef: {name: cfg, key: MODE}}
    - name: PASS
      valueFrom: {secretKeyRef: {name: creds, key: PASS}}
    - name: USER
      valueFrom: {secretKeyRef: {name: creds, key: USER}}
    - name: GONE
      valueFrom: {configMapKeyRef: {name: nosuch, key: X, optional: true}}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: NS
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: APP
      valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}
    - name: OWNER
      valueFrom: {fieldRef: {fieldPath: "metadata.annotations['owner']"}}
`),
      testContext(tmp(), OBJECTS, { podName: 'web-pod-0' }),
    );
    expect(t.containers[0].create.env).toEqual(['PLAIN=hello', 'EMPTY=', 'MODE=fast', 'PASS=new', 'USER=admin', 'POD=web-pod-0', 'NS=default', 'APP=web', 'OWNER=ops']);
  });

  it('takes envFrom first, with prefix, and env over it', () => {
    const t = translatePod(
      pod(`    envFrom:
    - configMapRef: {name: cfg}
    - secretRef: {name: creds}
      prefix: DB_
    - configMapRef: {name: missing, optional: true}
    env:
    - {name: MODE, value: slow}
`),
      testContext(tmp(), OBJECTS),
    );
    expect(t.containers[0].create.env).toEqual(['MODE=slow', 'LEVEL=3', 'DB_USER=admin', 'DB_PASS=new']);
  });

  it('expands $(VAR) of variables defined before it in env, command and args, and keeps $$', () => {
    const t = translatePod(
      pod(`    command: [sh, -c, "echo $(GREETING) $(NOPE) $$(GREETING)"]
    args: ["$(NAME)"]
    env:
    - {name: LATER, value: "$(NAME)"}
    - {name: NAME, value: world}
    - {name: GREETING, value: "hello $(NAME)"}
`),
      testContext(tmp()),
    );
    expect(t.containers[0].create.env).toEqual(['LATER=$(NAME)', 'NAME=world', 'GREETING=hello world']);
    expect(t.containers[0].create.entrypoint).toBe('["sh","-c","echo hello world $(NOPE) $(GREETING)"]');
    expect(t.containers[0].create.command).toEqual(['world']);
    expect(expandRefs('a$$b$(X)', new Map([['X', 'y']]))).toBe('a$by');
  });

  it('refuses a missing object or key unless optional, naming the variable', () => {
    const ctx = testContext(tmp(), OBJECTS);
    expect(() => translatePod(pod('    env:\n    - name: X\n      valueFrom: {configMapKeyRef: {name: nosuch, key: X}}\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].env[0].valueFrom.configMapKeyRef: ConfigMap "nosuch" is not in the file (nor given with --configmap): add it, or mark the reference optional: true');
    expect(() => translatePod(pod('    env:\n    - name: X\n      valueFrom: {secretKeyRef: {name: creds, key: TOKEN}}\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].env[0].valueFrom.secretKeyRef: key "TOKEN" is not in Secret "creds": add it, or mark the reference optional: true');
    expect(() => translatePod(pod('    envFrom:\n    - secretRef: {name: nosuch}\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].envFrom[0]: Secret "nosuch" is not in the file (nor given with --configmap): add it, or mark the reference optional: true');
    expect(translatePod(pod('    env:\n    - name: X\n      valueFrom: {secretKeyRef: {name: creds, key: TOKEN, optional: true}}\n'), ctx).containers[0].create.env).toEqual([]);
  });

  it('refuses fieldPaths whose value is only known once the pod runs, and unknown ones', () => {
    const ctx = testContext(tmp());
    expect(() => translatePod(pod('    env:\n    - name: IP\n      valueFrom: {fieldRef: {fieldPath: status.podIP}}\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: fieldPath "status.podIP" is not supported: its value is only known once the pod runs, and tspod sets the environment when it creates the container');
    expect(() => translatePod(pod('    env:\n    - name: X\n      valueFrom: {fieldRef: {fieldPath: spec.bogus}}\n'), ctx)).toThrow("fieldPath \"spec.bogus\" is not supported: use metadata.name, metadata.namespace, metadata.labels['KEY'] or metadata.annotations['KEY']");
  });

  it('refuses a number where a string must be, and a name with =', () => {
    const ctx = testContext(tmp());
    expect(() => translatePod(pod('    env:\n    - {name: PORT, value: 8080}\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].env[0].value must be a string: quote it (value: "8080")');
    expect(() => translatePod(pod('    env:\n    - {name: "A=B", value: x}\n'), ctx)).toThrow('f.yaml, document 1: spec.containers[0].env[0].name: invalid variable name "A=B": a name cannot contain "="');
  });
});

describe('Secret data', () => {
  it('decodes data, lets stringData win, and refuses bad base64 and bad keys', () => {
    const s = secretData({ kind: 'Secret', data: { a: 'aGk=', b: 'eA==' }, stringData: { b: 'y' } }, 'f.yaml, document 1');
    expect([...s].map(([k, v]) => [k, v.toString()])).toEqual([['a', 'hi'], ['b', 'y']]);
    expect(() => secretData({ data: { k: 'aGk' } }, 'w')).toThrow('w: data.k: invalid base64 data');
    expect(() => secretData({ data: { k: 'a$b=' } }, 'w')).toThrow('w: data.k: invalid base64 data');
    expect(() => secretData({ stringData: { '../x': 'y' } }, 'w')).toThrow('w: stringData.../x: invalid key "../x"');
    expect(() => secretData({ stringData: { n: 5 as unknown as string } }, 'w')).toThrow('w: stringData.n must be a string: quote it ("5")');
  });
});

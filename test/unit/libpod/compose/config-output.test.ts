// `compose config` output: the normalised seeds-like project printed as YAML and JSON (golden strings in
// docker compose config's shape), and the --services/--volumes/--profiles/--images/--hash lists.
import { describe, expect, it } from 'vitest';
import { defaultImageName, listImages, listProfiles, listServices, listVolumes, renderConfig, serviceHashes } from '../../../../libpod/compose/config-output';
import { serviceConfigHash } from '../../../../libpod/compose/config-hash';
import { normalizeProject } from '../../../../libpod/compose/normalize';
import type { Project } from '../../../../libpod/compose/types';

function project(profiles: string[] = []): Project {
  return normalizeProject({
    name: 'demo',
    workingDir: '/srv/demo',
    files: ['/srv/demo/compose.yaml'],
    environment: {},
    where: () => undefined,
    dict: {
      'x-common': { a: 1 },
      services: {
        web: {
          image: 'busybox',
          command: 'httpd -f -p 80',
          ports: ['8080:80'],
          environment: ['DB_HOST=db'],
          depends_on: { db: { condition: 'service_healthy', required: false } },
          networks: ['new_bridge'],
          labels: { b: '2', a: '1' },
          extra_hosts: ['h:1.2.3.4'],
          shm_size: '64m',
          secrets: [{ source: 'pw', mode: '0440' }],
          ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 5 },
          'x-t': 1,
        },
        db: {
          build: '.',
          volumes: ['data:/var/lib/db', './conf:/etc/db:ro'],
          healthcheck: { test: 'true', interval: '1s' },
          networks: ['new_bridge'],
          deploy: { replicas: 1, resources: { limits: { memory: '50m' } } },
          profiles: ['prod'],
        },
        debug: { image: 'debian', profiles: ['debug'] },
      },
      networks: { new_bridge: {} },
      volumes: { data: {} },
      secrets: { pw: { file: 'pw.txt' } },
    },
  }, profiles);
}

const YAML = `name: demo
services:
  db:
    profiles:
      - prod
    build:
      context: /srv/demo
      dockerfile: Dockerfile
    deploy:
      replicas: 1
      resources:
        limits:
          memory: "52428800"
    healthcheck:
      test:
        - CMD-SHELL
        - "true"
      interval: 1s
    networks:
      new_bridge: null
    volumes:
      - type: volume
        source: data
        target: /var/lib/db
        volume: {}
      - type: bind
        source: /srv/demo/conf
        target: /etc/db
        read_only: true
        bind:
          create_host_path: true
  web:
    command:
      - httpd
      - -f
      - -p
      - "80"
    depends_on:
      db:
        condition: service_healthy
        required: false
    environment:
      DB_HOST: db
    extra_hosts:
      - h=1.2.3.4
    image: busybox
    labels:
      a: "1"
      b: "2"
    networks:
      new_bridge: null
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
    secrets:
      - source: pw
        target: /run/secrets/pw
        mode: "0440"
    shm_size: "67108864"
    ulimits:
      nofile:
        soft: 1
        hard: 2
      nproc: 5
    x-t: 1
networks:
  new_bridge:
    name: demo_new_bridge
volumes:
  data:
    name: demo_data
secrets:
  pw:
    name: demo_pw
    file: /srv/demo/pw.txt
x-common:
  a: 1
`;

const JSON_OUT = `{
  "name": "demo",
  "networks": {
    "new_bridge": {
      "name": "demo_new_bridge"
    }
  },
  "secrets": {
    "pw": {
      "name": "demo_pw",
      "file": "/srv/demo/pw.txt"
    }
  },
  "services": {
    "db": {
      "profiles": [
        "prod"
      ],
      "build": {
        "context": "/srv/demo",
        "dockerfile": "Dockerfile"
      },
      "command": null,
      "deploy": {
        "replicas": 1,
        "resources": {
          "limits": {
            "memory": "52428800"
          }
        }
      },
      "entrypoint": null,
      "healthcheck": {
        "test": [
          "CMD-SHELL",
          "true"
        ],
        "interval": "1s"
      },
      "networks": {
        "new_bridge": null
      },
      "volumes": [
        {
          "type": "volume",
          "source": "data",
          "target": "/var/lib/db",
          "volume": {}
        },
        {
          "type": "bind",
          "source": "/srv/demo/conf",
          "target": "/etc/db",
          "read_only": true,
          "bind": {
            "create_host_path": true
          }
        }
      ]
    },
    "web": {
      "command": [
        "httpd",
        "-f",
        "-p",
        "80"
      ],
      "depends_on": {
        "db": {
          "condition": "service_healthy",
          "required": false
        }
      },
      "entrypoint": null,
      "environment": {
        "DB_HOST": "db"
      },
      "extra_hosts": [
        "h=1.2.3.4"
      ],
      "image": "busybox",
      "labels": {
        "a": "1",
        "b": "2"
      },
      "networks": {
        "new_bridge": null
      },
      "ports": [
        {
          "mode": "ingress",
          "target": 80,
          "published": "8080",
          "protocol": "tcp"
        }
      ],
      "secrets": [
        {
          "source": "pw",
          "target": "/run/secrets/pw",
          "mode": "0440"
        }
      ],
      "shm_size": "67108864",
      "ulimits": {
        "nofile": {
          "soft": 1,
          "hard": 2
        },
        "nproc": 5
      }
    }
  },
  "volumes": {
    "data": {
      "name": "demo_data"
    }
  },
  "x-common": {
    "a": 1
  }
}
`;

describe('renderConfig', () => {
  it('prints YAML as docker compose config does', () => {
    expect(renderConfig(project(['prod']), 'yaml')).toBe(YAML);
  });

  it('prints JSON as docker compose config --format json does', () => {
    expect(renderConfig(project(['prod']), 'json')).toBe(JSON_OUT);
  });

  it('leaves out disabled services and the resources only they use', () => {
    const out = renderConfig(project(), 'yaml');
    expect(out).not.toMatch(/^  db:/m);
    expect(out).not.toContain('demo_data');
    expect(out).toContain('  web:');
  });

  it('prints an object shared by YAML anchors in full each time', () => {
    const shared = { k: 'v' };
    const p = normalizeProject({ name: 'a', workingDir: '/a', files: [], environment: {}, where: () => undefined, dict: { 'x-one': shared, 'x-two': shared, services: {} } }, []);
    expect(renderConfig(p, 'yaml')).toBe('name: a\nservices: {}\nx-one:\n  k: v\nx-two:\n  k: v\n');
  });

  it('prints a project without services as services: {}', () => {
    const p = normalizeProject({ name: 'e', workingDir: '/e', files: [], environment: {}, where: () => undefined, dict: {} }, []);
    expect(renderConfig(p, 'yaml')).toBe('name: e\nservices: {}\n');
  });

  it('prints the long forms of volumes, secrets with modes, and default networks', () => {
    const p = normalizeProject({
      name: 'p', workingDir: '/p', files: [], environment: {}, where: () => undefined,
      dict: { services: { s: { image: 'i', volumes: [{ type: 'tmpfs', target: '/t', tmpfs: { size: '1k' } }], configs: [{ source: 'c', target: '/c', mode: 0o400 }], depends_on: { o: { condition: 'service_started', restart: true } } }, o: { image: 'i' } }, configs: { c: { environment: 'C' } } },
    }, []);
    expect(renderConfig(p, 'yaml')).toContain(`    configs:
      - source: c
        target: /c
        mode: "0400"
    depends_on:
      o:
        condition: service_started
        restart: true
        required: true
    image: i
    networks:
      default: null
    volumes:
      - type: tmpfs
        target: /t
        tmpfs:
          size: "1024"
networks:
  default:
    name: p_default
configs:
  c:
    name: p_c
    environment: C
`);
  });
});

describe('config lists', () => {
  it('lists services, volumes, profiles and images', () => {
    const p = project(['prod']);
    expect(listServices(p)).toEqual(['db', 'web']);
    expect(listVolumes(p)).toEqual(['data']);
    expect(listProfiles(p)).toEqual(['debug', 'prod']);
    expect(listImages(p)).toEqual(['demo-db', 'busybox']);
    expect(defaultImageName(p, p.services.db)).toBe('demo-db');
    expect(listServices(project())).toEqual(['web']);
  });

  it('hashes services; scaling leaves the hash alone, a change does not', () => {
    const p = project(['prod']);
    const hashes = serviceHashes(p, []);
    expect(hashes.map((h) => h.service)).toEqual(['db', 'web']);
    expect(hashes[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(serviceHashes(p, ['web'])).toEqual([hashes[1]]);
    const scaled = { ...p.services.db, scale: 5, deploy: { ...p.services.db.deploy, replicas: 5 } };
    expect(serviceConfigHash(scaled)).toBe(hashes[0].hash);
    expect(serviceConfigHash({ ...p.services.db, environment: { A: '1' } })).not.toBe(hashes[0].hash);
    expect(() => serviceHashes(p, ['nope'])).toThrow('no such service: nope');
  });
});

// The state database's schema as an ordered list of migrations. PRAGMA user_version holds the
// number of migrations applied; opening the database applies the missing ones in one transaction.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'containers, images and their names, volumes, networks',
    sql: `
      CREATE TABLE containers (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        image_id   TEXT,
        state      TEXT NOT NULL DEFAULT 'configured',
        created_at INTEGER NOT NULL,
        config     TEXT NOT NULL
      );
      CREATE TABLE images (
        id         TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        size       INTEGER NOT NULL DEFAULT 0,
        config     TEXT NOT NULL
      );
      CREATE TABLE image_names (
        name     TEXT PRIMARY KEY,
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
      );
      CREATE INDEX image_names_by_image ON image_names(image_id);
      CREATE TABLE volumes (
        name       TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        config     TEXT NOT NULL
      );
      CREATE TABLE networks (
        name       TEXT PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        config     TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'layer store: layers by chain ID, image layer lists, image mounts, store settings',
    sql: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE layers (
        id                TEXT PRIMARY KEY,
        parent            TEXT REFERENCES layers(id),
        diff_id           TEXT NOT NULL,
        compressed_digest TEXT,
        size              INTEGER NOT NULL,
        whiteouts         TEXT NOT NULL,
        created_at        INTEGER NOT NULL
      );
      CREATE INDEX layers_by_diff_id ON layers(diff_id);
      CREATE TABLE image_layers (
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        layer_id TEXT NOT NULL REFERENCES layers(id),
        PRIMARY KEY (image_id, position)
      );
      CREATE INDEX image_layers_by_layer ON image_layers(layer_id);
      CREATE TABLE image_mounts (
        image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        path     TEXT NOT NULL,
        driver   TEXT NOT NULL,
        count    INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'containers: the status that changes while a container lives (pid, times, exit code)',
    sql: `
      ALTER TABLE containers ADD COLUMN status TEXT NOT NULL DEFAULT '{}';
      CREATE INDEX containers_by_image ON containers(image_id);
    `,
  },
  {
    version: 4,
    description: 'events: what commands did, kept by the commands themselves (there is no daemon)',
    sql: `
      CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        time       INTEGER NOT NULL,
        type       TEXT NOT NULL,
        action     TEXT NOT NULL,
        actor_id   TEXT NOT NULL,
        name       TEXT NOT NULL,
        image      TEXT NOT NULL,
        attributes TEXT NOT NULL
      );
      CREATE INDEX events_by_time ON events(time);
    `,
  },
  {
    version: 5,
    description: "events' details beside the attributes: a container's exit code, a network's name, an error (Podman's ContainerExitCode, Network, Error)",
    sql: `ALTER TABLE events ADD COLUMN details TEXT NOT NULL DEFAULT '{}';`,
  },
  {
    version: 6,
    description: "build_cache: a build step's key (its parent, instruction, arguments and sources) and the image it made",
    sql: `
      CREATE TABLE build_cache (
        key        TEXT PRIMARY KEY,
        image_id   TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX build_cache_by_image ON build_cache(image_id);
    `,
  },
  {
    version: 7,
    description: 'pods: a pod\'s name, what create decided (its infra container, shared namespaces, exit policy) and what kube play recorded of it',
    sql: `
      CREATE TABLE pods (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        config     TEXT NOT NULL
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

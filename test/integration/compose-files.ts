// The compose projects the compose tests share: the seeds' WordPress + MySQL project with busybox
// stand-ins (web: httpd serving a page made from its WORDPRESS_DB_* environment; mysql: httpd on
// 3306 serving its named volume, to which every start appends a line), as a user would write it.
// compose.test.ts runs it with `tspod compose`, compose-podman-compose.test.ts with podman-compose.
import fs from 'node:fs';
import path from 'node:path';
import { userEnv, testUser } from './harness';

/** The seeds' project: `${WEB_PORT}` is the web service's published port (interpolated by compose). */
export const seedProject = `# The seeds' docker-compose.yml (wordpress + mysql), with busybox stand-ins.
version: "3.9"
services:
  web:
    image: busybox
    command: ["sh", "-c", "echo \\"wordpress on $$WORDPRESS_DB_HOST as $$WORDPRESS_DB_USER\\" > /var/www/index.html && exec httpd -f -p 80 -h /var/www"]
    environment:
      WORDPRESS_DB_HOST: mysql:3306
      WORDPRESS_DB_USER: wordpress
    ports:
      - "\${WEB_PORT:-8080}:80"
    depends_on:
      - mysql
    networks:
      - new_bridge
  mysql:
    image: busybox
    command: ["sh", "-c", "date +%s >> /var/lib/mysql/boots && echo mysql ready && exec httpd -f -p 3306 -h /var/lib/mysql"]
    environment:
      MYSQL_ROOT_PASSWORD: somewordpress
    volumes:
      - db_data:/var/lib/mysql
    networks:
      - new_bridge
volumes:
  db_data:
networks:
  new_bridge:
`;

/** A directory of the user's holding the files given (name -> text), readable by the user. */
export function projectDir(parent: string, name: string, files: Record<string, string>): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), text);
    fs.chmodSync(path.join(dir, file), 0o644);
  }
  if (testUser) {
    const u = userEnv();
    fs.chownSync(dir, u.uid, u.gid);
    for (const file of Object.keys(files)) fs.chownSync(path.join(dir, file), u.uid, u.gid);
  }
  return dir;
}

export { get, until } from './harness';

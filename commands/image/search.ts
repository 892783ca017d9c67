import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class SearchCommand extends TspodCommand {
  static override paths = [['search']];
  static override usage = Command.Usage({
    description: 'Search registries for images',
    details: 'docker.io is searched with Docker Hub\'s search API; other registries through their repository catalog (/v2/_catalog), matching names that contain the term.',
    examples: [['On one registry', '$0 search 127.0.0.1:5000/busy'], ['In the search list', '$0 search debian'], ['The tags of a repository', '$0 search --list-tags docker.io/library/debian']],
  });
  limit = Option.String('--limit', '25', { description: 'at most this many results per registry' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}}' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate descriptions' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS (default true)' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  filter = Option.Array('-f,--filter', [], { description: 'stars=N, is-official=true|false, is-automated=true|false' });
  listTags = Option.Boolean('--list-tags', false, { description: "list the tags of the repository named (REGISTRY/NAME) instead" });
  term = Option.String();

  async execute(): Promise<number> {
    const results = await this.engine.images.searchImages(this.term, { limit: Number(this.limit), tlsVerify: this.tlsVerify, authFile: this.authfile, filters: this.filter, listTags: this.listTags });
    if (this.listTags) {
      return this.printList(results, {
        format: this.format,
        columns: [
          ['NAME', (r) => r.Name],
          ['TAG', (r) => r.Tag],
        ],
        // Podman's JSON for tags: each repository once, with its tags.
        json: () => [...new Set(results.map((r) => r.Name))].map((Name) => ({ Name, Tags: results.filter((r) => r.Name === Name).map((r) => r.Tag) })),
      });
    }
    const desc = (d: string) => (this.noTrunc || d.length <= 44 ? d : `${d.slice(0, 44)}...`);
    return this.printList(results, {
      format: this.format,
      columns: [
        ['NAME', (r) => r.Name],
        ['DESCRIPTION', (r) => desc(r.Description)],
        ['STARS', (r) => String(r.Stars)],
        ['OFFICIAL', (r) => r.Official],
        ['AUTOMATED', (r) => r.Automated],
      ],
    });
  }
}

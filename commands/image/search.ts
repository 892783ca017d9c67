import { Command, Option } from 'clipanion';
import { TspodCommand } from '../tspod-command';

export default class SearchCommand extends TspodCommand {
  static override paths = [['search']];
  static override usage = Command.Usage({
    description: 'Search registries for images',
    details: 'docker.io is searched with Docker Hub\'s search API; other registries through their repository catalog (/v2/_catalog), matching names that contain the term.',
    examples: [['On one registry', '$0 search 127.0.0.1:5000/busy'], ['In the search list', '$0 search debian']],
  });
  limit = Option.String('--limit', '25', { description: 'at most this many results per registry' });
  format = Option.String('--format', { description: 'json, or a Go template such as {{.Name}}' });
  noTrunc = Option.Boolean('--no-trunc', false, { description: 'do not truncate descriptions' });
  tlsVerify = Option.Boolean('--tls-verify', { description: 'require HTTPS (default true)' });
  authfile = Option.String('--authfile', { description: 'path of the authentication file' });
  term = Option.String();

  async execute(): Promise<number> {
    const results = await this.engine.images.searchImages(this.term, { limit: Number(this.limit), tlsVerify: this.tlsVerify, authFile: this.authfile });
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

// Keys the Compose schema takes as a string or a list (env_file, dns, dns_search, dns_opt, tmpfs)
// merge as lists whichever form each file wrote (compose-go makes them lists before merging): an
// override or an extending service that wrote a list used to drop the base's single string.
import { describe, expect, it } from 'vitest';
import { mergeValues } from '../../../../libpod/compose/merge';

const svc = (web: Record<string, unknown>) => ({ services: { web } });
const merged = (base: Record<string, unknown>, over: Record<string, unknown>) =>
  (mergeValues(svc(base), svc(over)) as { services: { web: Record<string, unknown> } }).services.web;

describe('string-or-list keys', () => {
  it('keeps the base env_file written as a string', () => {
    expect(merged({ env_file: 'common.env' }, { env_file: ['own.env'] }).env_file).toEqual(['common.env', 'own.env']);
    expect(merged({ env_file: ['common.env'] }, { env_file: 'own.env' }).env_file).toEqual(['common.env', 'own.env']);
    expect(merged({ env_file: 'a.env' }, { env_file: 'a.env' }).env_file).toEqual(['a.env']);
  });

  it('appends dns, dns_search and tmpfs written as strings', () => {
    expect(merged({ dns: '1.1.1.1' }, { dns: ['8.8.8.8'] }).dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(merged({ dns_search: 'a.example' }, { dns_search: 'b.example' }).dns_search).toEqual(['a.example', 'b.example']);
    expect(merged({ tmpfs: '/run' }, { tmpfs: ['/tmp'] }).tmpfs).toEqual(['/run', '/tmp']);
  });
});

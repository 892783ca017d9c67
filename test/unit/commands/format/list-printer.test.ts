import { describe, expect, it } from 'vitest';
import { renderList, type ListSpec } from '../../../../commands/format/list-printer';
import { psRow } from '../../../../commands/format/ps-row';
import type { PsSummary } from '../../../../libpod/entities';

interface Row {
  ID: string;
  Name: string;
}
const rows: Row[] = [
  { ID: 'aaa', Name: 'web' },
  { ID: 'bbbbbb', Name: 'db' },
  { ID: 'aaa', Name: 'web-alias' },
];
const columns: ListSpec<Row>['columns'] = [
  ['ID', (r) => r.ID],
  ['NAME', (r) => r.Name],
];

describe('renderList', () => {
  it('prints an aligned table with headings, or without them for --noheading', () => {
    // Podman's tabwriter: columns at least 12 wide, 2 spaces of padding (podman volume ls prints
    // "DRIVER      VOLUME NAME").
    expect(renderList(rows, { columns })).toBe('ID          NAME\naaa         web\nbbbbbb      db\naaa         web-alias\n');
    expect(renderList(rows, { columns, noHeading: true })).toBe('aaa         web\nbbbbbb      db\naaa         web-alias\n');
    expect(renderList([], { columns, noHeading: true })).toBe('');
    expect(renderList([], { columns })).toBe('ID          NAME\n');
  });

  it('leaves no padding after empty last columns of the default table', () => {
    const cols: ListSpec<Row>['columns'] = [...columns, ['EXTRA', () => '']];
    expect(renderList(rows.slice(0, 1), { columns: cols })).toBe('ID          NAME        EXTRA\naaa         web\n');
  });

  it('renders a Go template per row, with or without the table directive', () => {
    expect(renderList(rows.slice(0, 2), { columns, format: '{{.Name}}={{.ID}}' })).toBe('web=aaa\ndb=bbbbbb\n');
    // "table": Podman's headings and tabwriter columns (minwidth 12, padding 2), not raw tabs.
    expect(renderList(rows.slice(0, 2), { columns, format: 'table {{.Name}}\\t{{.ID}}' })).toBe('NAME        ID\nweb         aaa\ndb          bbbbbb\n');
  });

  it('prints JSON: the rows, or what the command names as its JSON', () => {
    expect(JSON.parse(renderList(rows.slice(0, 1), { columns, format: 'json' }))).toEqual([{ ID: 'aaa', Name: 'web' }]);
    expect(JSON.parse(renderList(rows, { columns, format: '{{json .}}', json: () => [{ id: 1 }] }))).toEqual([{ id: 1 }]);
  });

  it('prints the quiet value of each row, and JSON wins over -q', () => {
    expect(renderList(rows, { columns, quiet: (r) => r.ID })).toBe('aaa\nbbbbbb\naaa\n');
    expect(renderList(rows.slice(0, 1), { columns, quiet: (r) => r.ID, format: 'json' })).toContain('"Name": "web"');
  });
});

describe('ps rows in templates', () => {
  const summary: PsSummary = { id: 'f'.repeat(64), name: 'web', image: 'busybox', imageId: 'e'.repeat(64), args: ['sleep', '100'], createdAt: Date.UTC(2024, 0, 2, 15, 4, 5, 120), startedAt: 0, state: 'created', status: 'Created', labels: {}, ports: [], pid: 0, exitCode: 0, restarts: 0, autoRemove: false };

  it('has .Label "k", and no labels is a nil map: json null, %v map[]', () => {
    const labelled = psRow({ ...summary, labels: { app: 'shop' } }, false);
    expect(renderList([labelled], { columns: [], format: '{{.Label "app"}}|{{.Label "x"}}|{{json .Labels}}' })).toBe('shop||{"app":"shop"}\n');
    expect(renderList([psRow(summary, false)], { columns: [], format: '{{json .Labels}} {{.Labels}}' })).toBe('null map[]\n');
    // The method is not a field: the row's JSON keeps its fields only.
    expect(Object.keys(labelled)).not.toContain('Label');
  });

  it('prints CreatedAt as Go prints a time.Time', () => {
    expect(renderList([psRow(summary, false)], { columns: [], format: '{{.CreatedAt}}' })).toBe('2024-01-02 15:04:05.12 +0000 UTC\n');
  });
});

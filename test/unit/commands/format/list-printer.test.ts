import { describe, expect, it } from 'vitest';
import { renderList, type ListSpec } from '../../../../commands/format/list-printer';

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
    expect(renderList(rows, { columns })).toBe('ID      NAME\naaa     web\nbbbbbb  db\naaa     web-alias\n');
    expect(renderList(rows, { columns, noHeading: true })).toBe('aaa     web\nbbbbbb  db\naaa     web-alias\n');
    expect(renderList([], { columns, noHeading: true })).toBe('');
    expect(renderList([], { columns })).toBe('ID  NAME\n');
  });

  it('renders a Go template per row, with or without the table directive', () => {
    expect(renderList(rows.slice(0, 2), { columns, format: '{{.Name}}={{.ID}}' })).toBe('web=aaa\ndb=bbbbbb\n');
    expect(renderList(rows.slice(0, 2), { columns, format: 'table {{.Name}}\\t{{.ID}}' })).toBe('web\taaa\ndb\tbbbbbb\n');
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

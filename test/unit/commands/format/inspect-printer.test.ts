import { describe, expect, it } from 'vitest';
import { normalizeInspectFormat, renderInspect } from '../../../../commands/format/inspect-printer';

describe('inspect output', () => {
  const found = { name: 'a', data: { Name: 'a', Image: 'i', Mounts: [{ Source: '/s' }] } };
  const missing = (n: string) => ({ name: n, error: new Error(`no such object: "${n}"`) });

  it('prints the documents as one JSON array, then later errors bare and the first as Error:, exit 125', () => {
    expect(renderInspect([missing('x'), found, missing('y')], undefined, 'all')).toEqual({
      stdout: `${JSON.stringify([found.data], null, 5)}\n`,
      stderr: 'no such object: "y"\nError: no such object: "x"\n',
      code: 125,
    });
    expect(renderInspect([missing('x')], 'json', 'all').stdout).toBe('[]\n');
    expect(renderInspect([found], undefined, 'all').stdout).toMatch(/^\[\n {5}\{\n {10}"Name": "a",\n/); // Podman's five-space indent
    expect(renderInspect([found], '{{ json . }}', 'all').stdout).toBe(`${JSON.stringify([found.data], null, 5)}\n`);
    expect(renderInspect([found], undefined, 'all')).toMatchObject({ stderr: '', code: 0 });
  });

  it("renders a template per document, a newline after each, with Docker's old names taken as Podman takes them", () => {
    expect(renderInspect([found, found], '{{.Name}} {{.ImageID}}', 'container').stdout).toBe('a i\na i\n');
    expect(normalizeInspectFormat('{{range .Mounts}}{{.Src}}:{{.Dst}}{{end}}', 'container')).toBe('{{range .Mounts}}{{.Source}}:{{.Destination}}{{end}}');
    expect(normalizeInspectFormat('{{.Config.Healthcheck}}', 'image')).toBe('{{.Healthcheck}}');
    expect(normalizeInspectFormat('{{.Config.Healthcheck}}', 'container')).toBe('{{.Config.Healthcheck}}');
  });
});

// The pattern modifiers of Docker's variable substitution (as Podman 5's buildah takes them):
// ${V#glob} / ${V##glob} remove the shortest / longest matching prefix, ${V%glob} / ${V%%glob}
// the shortest / longest matching suffix, ${V/glob/text} replaces the first (leftmost, longest)
// match and ${V//glob/text} every one. Globs: * any text, ? one character, [...] a class ([!...]
// or [^...] negated), the escape character makes the next one literal.

function globToRegExp(glob: string, escape: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === escape && i + 1 < glob.length) {
      source += literal(glob[++i]);
    } else if (ch === '*') {
      source += '[\\s\\S]*';
    } else if (ch === '?') {
      source += '[\\s\\S]';
    } else if (ch === '[' && glob.indexOf(']', i + 2) > i) {
      const end = glob.indexOf(']', i + 2);
      let body = glob.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else {
      source += literal(ch);
    }
  }
  return new RegExp(`^(?:${source})$`);
}

const literal = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** ${V#glob} (longest: ${V##glob}). */
export function trimPrefix(value: string, glob: string, longest: boolean, escape: string): string {
  const re = globToRegExp(glob, escape);
  for (let n = 0; n <= value.length; n++) {
    const end = longest ? value.length - n : n;
    if (re.test(value.slice(0, end))) return value.slice(end);
  }
  return value;
}

/** ${V%glob} (longest: ${V%%glob}). */
export function trimSuffix(value: string, glob: string, longest: boolean, escape: string): string {
  const re = globToRegExp(glob, escape);
  for (let n = 0; n <= value.length; n++) {
    const start = longest ? n : value.length - n;
    if (re.test(value.slice(start))) return value.slice(0, start);
  }
  return value;
}

/** ${V/glob/text} (every match: ${V//glob/text}): the leftmost, longest non-empty matches replaced. */
export function replaceMatches(value: string, glob: string, text: string, all: boolean, escape: string): string {
  const re = globToRegExp(glob, escape);
  let out = '';
  let start = 0;
  while (start < value.length) {
    let end = value.length;
    while (end > start && !re.test(value.slice(start, end))) end--;
    if (end === start) {
      out += value[start++];
      continue;
    }
    out += text;
    start = end;
    if (!all) return out + value.slice(start);
  }
  return out;
}

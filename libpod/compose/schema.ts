// Each compose file checked against the Compose Specification's own JSON schema (as dclint ships it)
// with ajv; of ajv's errors (a oneOf reports every branch) the deepest one is shown, with its file, line and key.
// The only module that imports ajv and the schema.
import fs from 'node:fs';
import path from 'node:path';
import type AjvType from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InvalidArgumentError } from '../../src/errors';
import { formatPath, whereIn } from './yaml-source';

let validator: ValidateFunction | undefined;

/** The validator the build compiled from the schema (ajv's standalone code, beside the bundle): compiling the schema costs ~250 ms a run. */
export const PRECOMPILED_NAME = 'compose-schema.js';

function schemaPath(): string {
  // dclint's package exports only its code and package.json: the schema is found beside the latter.
  return path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
}

function newAjv(source: boolean): { ajv: AjvType; schema: Record<string, unknown> } {
  const schema = JSON.parse(fs.readFileSync(schemaPath(), 'utf8')) as Record<string, unknown>;
  // The schema names draft-07 by its https address, which ajv's draft-07 meta-schema is not registered under.
  delete schema.$schema;
  // Its descriptions would be carried into the compiled code (a third of it) and are never shown.
  dropDescriptions(schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('ajv') as { default: typeof AjvType };
  return { ajv: new mod.default({ allErrors: true, strict: false, validateSchema: false, code: { source } }), schema };
}

/** Removes the `description` annotations of a schema, in place (no property of the compose schema is named so). */
function dropDescriptions(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropDescriptions);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.description === 'string') delete o.description;
    Object.values(o).forEach(dropDescriptions);
  }
}

/** For the build: the schema's validator as the source of a CommonJS module (ajv standalone). */
export function compileSchemaSource(): string {
  const { ajv, schema } = newAjv(true);
  const validate = ajv.compile(schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standalone = require('ajv/dist/standalone') as { default: (a: AjvType, v: ValidateFunction) => string };
  return standalone.default(ajv, validate);
}

function compiled(): ValidateFunction {
  if (validator) return validator;
  const pre = path.join(__dirname, PRECOMPILED_NAME);
  if (fs.existsSync(pre)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    validator = require(pre) as ValidateFunction;
    return validator;
  }
  const { ajv, schema } = newAjv(false);
  validator = ajv.compile(schema);
  return validator;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function depth(e: ErrorObject): number {
  return pointerToPath(e.instancePath).length + (e.keyword === 'additionalProperties' ? 1 : 0);
}

function words(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

/** Picks the most useful of ajv's errors and says it as `<path>: <message>`, with the path (for the line). */
export function describeSchemaErrors(errors: ErrorObject[]): { path: string[]; message: string } {
  const real = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'then', 'else', '$ref'].includes(e.keyword));
  const pool = real.length > 0 ? real : errors;
  const deepest = Math.max(...pool.map(depth));
  const here = pool.filter((e) => depth(e) === deepest);
  const p = pointerToPath(here[0].instancePath);
  const prefix = (q: string[]) => (q.length ? `${formatPath(q)}: ` : '');
  const extra = here.find((e) => e.keyword === 'additionalProperties');
  if (extra) {
    const name = String((extra.params as { additionalProperty: string }).additionalProperty);
    const q = pointerToPath(extra.instancePath);
    return { path: [...q, name], message: `${prefix(q)}additional property ${JSON.stringify(name)} is not allowed` };
  }
  const required = here.find((e) => e.keyword === 'required');
  if (required) {
    return { path: p, message: `${prefix(p)}missing required property ${JSON.stringify((required.params as { missingProperty: string }).missingProperty)}` };
  }
  const types = here.filter((e) => e.keyword === 'type');
  if (types.length > 0 && types.length === here.length) {
    const wanted = [...new Set(types.flatMap((e) => ([] as string[]).concat((e.params as { type: string | string[] }).type)))];
    return { path: p, message: `${prefix(p)}must be ${words(wanted.map((t) => TYPE_WORDS[t] ?? t))}` };
  }
  const en = here.find((e) => e.keyword === 'enum');
  if (en) {
    const allowed = (en.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
    return { path: p, message: `${prefix(p)}must be one of ${allowed.join(', ')}` };
  }
  const dup = here.find((e) => e.keyword === 'uniqueItems');
  if (dup) {
    const { i, j } = dup.params as { i: number; j: number };
    return { path: [...p, String(Math.max(i, j))], message: `${prefix(p)}items [${Math.min(i, j)}] and [${Math.max(i, j)}] are the same: each item must be unique` };
  }
  const pick = here.find((e) => e.keyword !== 'type') ?? here[0];
  return { path: p, message: `${prefix(p)}${(pick.message ?? 'is not valid').replace(/\bNOT\b/g, 'not')}` };
}

/** Validates one file's (interpolated) document; throws InvalidArgumentError `<file>:<line>: <key>: <message>`. */
export function validateComposeFile(doc: Record<string, unknown>, file: string): void {
  const validate = compiled();
  if (validate(doc)) return;
  const { path: p, message } = describeSchemaErrors(validate.errors ?? []);
  const ref = whereIn(doc, p);
  throw new InvalidArgumentError(`${file}${ref?.line ? `:${ref.line}` : ''}: ${message}`);
}

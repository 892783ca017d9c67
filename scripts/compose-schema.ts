// Build step: prints the Compose schema's validator as a CommonJS module (ajv's standalone code),
// written to dist/ beside the bundle so that compose commands load it instead of compiling the schema.
import { compileSchemaSource } from '../libpod/compose/schema';

process.stdout.write(compileSchemaSource());

// Drives the real state module from a separate process, so tests can run many at once:
//   node state-writer.js DBFILE insert PREFIX COUNT   -> inserts COUNT containers named PREFIX-i
//   node state-writer.js DBFILE count                 -> prints the number of containers
import { State } from '../../libpod/state/state';

const [file, op, prefix, countText] = process.argv.slice(2);
const state = State.open(file);
try {
  if (op === 'insert') {
    const n = Number(countText);
    for (let i = 0; i < n; i++) {
      const id = `${prefix}-${i}-${process.pid}`;
      state.insertContainer({ id, name: `${prefix}-${i}`, imageId: null, state: 'configured', createdAt: Date.now(), config: { writer: process.pid, i } });
    }
    process.stdout.write(`inserted ${n}\n`);
  } else if (op === 'count') {
    process.stdout.write(`${state.counts().containers}\n`);
  } else {
    throw new Error(`unknown operation ${op}`);
  }
} finally {
  state.close();
}

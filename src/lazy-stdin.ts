// process.stdin, made on first use: Node creates the stream (a tty, socket or file stream) when
// process.stdin is first read, 2-4 ms of a start, and most commands never read their input.
// Every property and method is the real stream's.
export const lazyStdin = new Proxy({} as NodeJS.ReadStream, {
  get(_target, key) {
    const stdin = process.stdin;
    const value = Reflect.get(stdin, key, stdin) as unknown;
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(stdin) : value;
  },
  set(_target, key, value) {
    return Reflect.set(process.stdin, key, value);
  },
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyStreams } from '../../../conmon/console';
import { listenConsoleSocket, receiveConsoleFd, setWindowSize } from '../../../conmon/ffi';

// Plays runc's part: opens a pty, sends the master over the console socket with SCM_RIGHTS (and
// closes its own copy), then, on the slave, writes "hello", reads one line and prints it with the
// window size the slave sees, and closes the slave. Without echo the master has nothing left to
// read when the slave closes, so its read fails with EIO (with data pending, libuv reports EOF).
const RUNC = `
import os, signal, socket, sys, termios
signal.alarm(3)  # fail fast if the line never arrives
master, slave = os.openpty()
attrs = termios.tcgetattr(slave)
attrs[3] &= ~termios.ECHO
termios.tcsetattr(slave, termios.TCSANOW, attrs)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(sys.argv[1])
socket.send_fds(c, [os.ttyname(slave).encode()], [master])
c.close()
os.close(master)
os.write(slave, b"hello\\n")
line = b""
while not line.endswith(b"\\n"):
    line += os.read(slave, 100)
size = os.get_terminal_size(slave)
print(line.decode().strip(), size.lines, size.columns, flush=True)
os.close(slave)
`;

// Connects and sends a message with no fd attached.
const NO_FD = `
import socket, sys
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(sys.argv[1])
c.sendall(b"/dev/pts/0")
c.close()
`;

function python(script: string, arg: string): Promise<string> {
  const p = spawn('python3', ['-c', script, arg], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`python exited with ${code}`)))),
  );
}

describe('console socket and pty', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tspod-console-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('receives the pty master, relays both ways, resizes, and ends when the slave closes', async () => {
    const sock = path.join(dir, 'console.sock');
    const listenFd = listenConsoleSocket(sock);
    expect(fs.statSync(sock).mode & 0o777).toBe(0o600);
    const client = python(RUNC, sock);
    const master = await receiveConsoleFd(listenFd);
    expect(master).not.toBe(listenFd);

    const pty = ptyStreams(master);
    let seen = '';
    const errors: Error[] = [];
    pty.output.on('error', (e: Error) => errors.push(e));
    const ended = new Promise<void>((resolve) => pty.output.on('end', resolve));
    const closed = new Promise<void>((resolve) => pty.output.on('close', resolve));
    let typed = false;
    pty.output.on('data', (d: Buffer) => {
      seen += d.toString();
      if (!typed && seen.includes('hello')) {
        typed = true;
        setWindowSize(master, 33, 77); // before the keystrokes: python reads the size after the line
        pty.input.write('typed\n');
      }
    });

    // Python printed the line it read on the slave: only possible through the received master.
    expect(await client).toBe('typed 33 77\n');
    await ended;
    await closed;
    expect(seen).toBe('hello\r\n');
    expect(errors).toEqual([]);
    pty.input.write('too late\n'); // the pty is gone: dropped, no unhandled error
    pty.close();
  });

  it('rejects when the client sends no file descriptor', async () => {
    const sock = path.join(dir, 'console.sock');
    const listenFd = listenConsoleSocket(sock);
    const rejected = expect(receiveConsoleFd(listenFd)).rejects.toThrow('the console socket client sent 10 bytes but no file descriptor');
    await python(NO_FD, sock);
    await rejected;
  });

  it('can be aborted while waiting for the runtime to connect', async () => {
    const listenFd = listenConsoleSocket(path.join(dir, 'console.sock'));
    const abort = new AbortController();
    const rejected = expect(receiveConsoleFd(listenFd, abort.signal)).rejects.toThrow('aborted');
    setTimeout(() => abort.abort(), 20);
    await rejected;
  });

  it('reports the errno name when the socket cannot be bound', () => {
    expect(() => listenConsoleSocket(path.join(dir, 'missing', 'console.sock'))).toThrow(/bind\(.*\): ENOENT/);
  });
});

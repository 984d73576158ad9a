/** Starts `sink.mjs` in its own process and talks to it over IPC; shared by run.mjs and host.mjs. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

export async function startSink() {
  const child = fork(`${BENCH_DIR}sink.mjs`, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve(msg.port));
    child.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
  });
  const pending = new Map();
  child.on('message', (msg) => {
    if (msg.type === 'stats') {
      pending.get(msg.run)?.(msg.stats);
      pending.delete(msg.run);
    }
  });
  return {
    port,
    pid: child.pid,
    stats(run) {
      return new Promise((resolve) => {
        pending.set(run, resolve);
        child.send({ type: 'stats', run });
      });
    },
    stop() {
      child.send({ type: 'stop' });
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

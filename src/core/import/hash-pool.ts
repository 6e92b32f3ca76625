import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { ARGON2_PARAMS } from '../credentials/password/hasher.js';

// The worker is a few lines of plain JavaScript, run with `eval`, so the same pool works from the
// compiled package and from the TypeScript sources under the test runner. It loads the same argon2
// binding and hashes with the parameters it is given (ARGON2_PARAMS, DESIGN.md §4).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2Path);
parentPort.on('message', async ({ id, password }) => {
  try {
    parentPort.postMessage({ id, hash: await argon2.hash(password, workerData.params) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Task {
  id: number;
  password: string;
  resolve(hash: string): void;
  reject(e: Error): void;
  /** Settles when the worker answered (or died). */
  settled: Promise<void>;
}

/**
 * argon2id hashing on all cores: one worker thread per core, each kept two tasks deep so a worker
 * never idles while the main thread is busy writing a batch to the database.
 */
export class HashPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly inFlight = new Map<Worker, Map<number, Task>>();
  private queue: Task[] = [];
  private head = 0;
  private nextId = 0;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(
    size = availableParallelism(),
    private readonly depth = 2,
  ) {
    this.size = Math.max(1, size);
    const argon2Path = createRequire(import.meta.url).resolve('argon2');
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { argon2Path, params: { ...ARGON2_PARAMS } } });
      this.inFlight.set(w, new Map());
      w.on('message', (m: { id: number; hash?: string; error?: string }) => {
        const tasks = this.inFlight.get(w)!;
        const task = tasks.get(m.id);
        tasks.delete(m.id);
        if (task) {
          if (m.hash) task.resolve(m.hash);
          else task.reject(new Error(`argon2 worker: ${m.error}`));
        }
        this.pump();
      });
      w.on('error', (e) => this.failAll(e));
      this.workers.push(w);
    }
  }

  hash(password: string): Promise<string> {
    if (this.closed) return Promise.reject(new Error('hash pool closed'));
    return new Promise((resolve, reject) => {
      let done!: () => void;
      const settled = new Promise<void>((r) => (done = r));
      this.queue.push({
        id: this.nextId++,
        password,
        resolve: (h) => (done(), resolve(h)),
        reject: (e) => (done(), reject(e)),
        settled,
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    for (const w of this.workers) {
      const tasks = this.inFlight.get(w)!;
      while (tasks.size < this.depth && this.head < this.queue.length) {
        const task = this.queue[this.head++]!;
        tasks.set(task.id, task);
        w.postMessage({ id: task.id, password: task.password });
      }
    }
  }

  private failAll(e: Error): void {
    for (const t of this.queue.slice(this.head)) t.reject(e);
    this.queue = [];
    this.head = 0;
    for (const tasks of this.inFlight.values()) {
      for (const t of tasks.values()) t.reject(e);
      tasks.clear();
    }
  }

  /**
   * Rejects what is still queued, lets each worker finish the hashes it is running (terminating a
   * thread in the middle of a native argon2 call aborts the process), then stops the threads.
   */
  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    const stopped = new Error('hash pool closed');
    for (const t of this.queue.slice(this.head)) t.reject(stopped);
    this.queue = [];
    this.head = 0;
    this.closing = (async () => {
      const running = [...this.inFlight.values()].flatMap((tasks) => [...tasks.values()].map((t) => t.settled));
      await Promise.allSettled(running);
      await Promise.all(this.workers.map((w) => w.terminate()));
    })();
    return this.closing;
  }
}

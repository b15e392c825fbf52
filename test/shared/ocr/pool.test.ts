import { describe, expect, it } from 'vitest';
import { createWorkerPool, OcrError, type OcrAbortSignal } from '../../../shared/ocr/index';

interface FakeWorker {
  readonly id: number;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function pool(size: number, create?: () => Promise<FakeWorker>) {
  let next = 0;
  const created: number[] = [];
  const destroyed: number[] = [];
  const instance = createWorkerPool<FakeWorker>({
    size,
    create:
      create ??
      (() => {
        next += 1;
        created.push(next);
        return Promise.resolve({ id: next });
      }),
    destroy: (worker) => {
      destroyed.push(worker.id);
      return Promise.resolve();
    },
  });
  return { instance, created, destroyed };
}

describe('createWorkerPool', () => {
  it('runs at most `size` jobs at once on lazily started, reused workers', async () => {
    const { instance, created } = pool(2);
    let running = 0;
    let peak = 0;
    const gates = [deferred<undefined>(), deferred<undefined>(), deferred<undefined>()];
    const jobs = gates.map((gate, index) =>
      instance.run(async (worker) => {
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
        return `${index}@${worker.id}`;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running).toBe(2);
    gates.forEach((gate) => {
      gate.resolve(undefined);
    });
    const results = await Promise.all(jobs);
    expect(peak).toBe(2);
    expect(created).toEqual([1, 2]);
    expect(results).toHaveLength(3);
    expect(instance.started).toBe(2);
  });

  it('drops a job cancelled while queued', async () => {
    const { instance } = pool(1);
    const gate = deferred<undefined>();
    const first = instance.run(() => gate.promise.then(() => 'first'));
    const controller = new AbortController();
    let ran = false;
    const second = instance.run(
      () => {
        ran = true;
        return Promise.resolve('second');
      },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'CANCELLED' });
    gate.resolve(undefined);
    expect(await first).toBe('first');
    expect(ran).toBe(false);
  });

  it('stops the worker of a job cancelled while it runs, and starts a fresh one', async () => {
    const { instance, created, destroyed } = pool(1);
    const controller = new AbortController();
    let seen: OcrAbortSignal | undefined;
    const stuck = instance.run(
      (_worker, signal) => {
        seen = signal;
        return new Promise<never>(() => undefined);
      },
      { signal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new OcrError('TIMEOUT', { step: 'test', seconds: 1 }));
    await expect(stuck).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(seen?.aborted).toBe(true);
    expect(destroyed).toEqual([1]);
    expect(await instance.run((worker) => Promise.resolve(worker.id))).toBe(2);
    expect(created).toEqual([1, 2]);
  });

  it('fails queued jobs when a worker cannot start', async () => {
    const { instance } = pool(2, () =>
      Promise.reject(new OcrError('LANGUAGE_DATA_MISSING', { files: 'x.traineddata.gz' })),
    );
    await expect(instance.run(() => Promise.resolve(1))).rejects.toMatchObject({
      code: 'LANGUAGE_DATA_MISSING',
    });
  });

  it('passes task errors through and keeps the worker', async () => {
    const { instance, created } = pool(1);
    await expect(instance.run(() => Promise.reject(new Error('bad image')))).rejects.toThrow(
      'bad image',
    );
    expect(await instance.run(() => Promise.resolve('ok'))).toBe('ok');
    expect(created).toEqual([1]);
  });

  it('cancels everything on close', async () => {
    const { instance, destroyed } = pool(1);
    await instance.warm();
    const running = instance.run(() => new Promise<never>(() => undefined));
    const queued = instance.run(() => Promise.resolve(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await instance.close();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(queued).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(destroyed).toEqual([1]);
    await expect(instance.run(() => Promise.resolve(1))).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

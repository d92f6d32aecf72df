import { parentPort } from 'node:worker_threads';
import { FeatureCache, evaluateSubject } from './subject-eval';
import type { EvalOptions } from './subject-eval';
import type { SubjectFiles } from './manifest';
import { fileSummary } from './runner-messages';
import type { FromWorker, ToWorker } from './runner-messages';

/**
 * Worker thread of `cadence eval`: evaluates the subjects it is sent, one at
 * a time, keeping its own cache of file features (impostor files are shared
 * by many subjects).
 */
const port = parentPort;
if (!port) throw new Error('eval worker: must run as a worker thread');
const cache = new FeatureCache();
let options: EvalOptions | null = null;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    options = msg.options;
    return;
  }
  try {
    if (!options) throw new Error('eval worker: subject before init');
    const files: SubjectFiles = msg.files;
    const result = evaluateSubject(files, { ...options, trace: msg.trace }, cache);
    const transfer: ArrayBuffer[] = [];
    for (const list of Object.values(result.modalities)) {
      for (const d of list ?? []) for (const s of Object.values(d.scores)) transfer.push(s.genuine.buffer as ArrayBuffer, s.impostor.buffer as ArrayBuffer);
    }
    const reply: FromWorker = { type: 'result', index: msg.index, result, files: cache.takeNew().map(fileSummary) };
    port.postMessage(reply, transfer);
  } catch (err) {
    const reply: FromWorker = { type: 'error', index: msg.index, message: (err as Error).message };
    port.postMessage(reply);
  }
});

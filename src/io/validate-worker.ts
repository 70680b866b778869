/**
 * A `--jobs` worker: validates batches of lines with the same core as the main
 * thread (`checkLine`) and sends the verdicts back with the batch's buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkLine } from '../core/check-line.js';
import { createValidator, loadSchemaFile } from '../core/validate.js';
import { type BatchMessage, type VerdictMessage, type WorkerSettings, transferList } from './parallel.js';

const settings = workerData as WorkerSettings;
const validator = createValidator(
  settings.schemaPath !== undefined ? loadSchemaFile(settings.schemaPath) : undefined,
);

parentPort!.on('message', (batch: BatchMessage) => {
  const bytes = Buffer.from(batch.buffer);
  const verdicts = [];
  for (let i = 0; i < batch.count; i++) {
    const tooLong = batch.tooLong[i]! >= 0;
    verdicts.push(
      checkLine(
        tooLong
          ? { line: 0, offset: 0, bytes: Buffer.alloc(0), tooLong: true, length: batch.tooLong[i]! }
          : { line: 0, offset: 0, bytes: bytes.subarray(batch.starts[i]!, batch.ends[i]!) },
        validator,
        settings.maxLineBytes,
      ),
    );
  }
  const reply: VerdictMessage = { seq: batch.seq, verdicts, batch };
  parentPort!.postMessage(reply, transferList(batch));
});

/**
 * A `--jobs` worker of csm-validate: judges lines with the same core as the
 * main thread (`checkLine`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkLine } from '../core/check-line.js';
import { createValidator, loadSchemaFile } from '../core/validate.js';
import { type WorkerSettings, serveBatches } from './parallel.js';

export interface ValidateWorkerSettings extends WorkerSettings {
  schemaPath?: string;
}

const settings = workerData as ValidateWorkerSettings;
const validator = createValidator(
  settings.schemaPath !== undefined ? loadSchemaFile(settings.schemaPath) : undefined,
);
serveBatches(parentPort!, (line) => checkLine(line, validator, settings.maxLineBytes));

import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the public datasets live: $CADENCE_DATASETS, else ../shared/datasets
 * beside the checkout. They are never part of the repository; tests that need
 * them skip with this module's reason when they are absent.
 */
export const DATASETS_DIR = process.env.CADENCE_DATASETS ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'datasets');

export function datasetDir(name: 'aalto-136m-subset' | 'sapimouse'): string | null {
  const dir = path.join(DATASETS_DIR, name);
  return fs.existsSync(dir) ? dir : null;
}

export function missingDatasetReason(name: string): string {
  return `dataset ${name} not found under ${DATASETS_DIR} (set CADENCE_DATASETS to the shared datasets folder)`;
}

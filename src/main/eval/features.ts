import type { KeystrokeWindow } from '../../model/keystroke-windows';
import { keystrokeWindows } from '../../model/keystroke-windows';
import { MouseSegmenter } from '../../model/mouse-actions';
import type { MouseAction } from '../../model/mouse-actions';
import { mouseActionFeatures } from '../../model/mouse-features';
import type { MouseActionFeatures } from '../../model/mouse-features';
import { readInputFile } from './readers/input-file';
import type { SkipCounts } from './readers/input-error';
import { countSkip } from './readers/input-error';

/** Keystrokes per capture window: the unit the agent sends, and the step of every keystroke window here. */
export const CAPTURE_WINDOW = 25;

/**
 * An input file turned into the features the model sees, with exactly the
 * agent's feature code (src/model): keystroke sessions cut into consecutive
 * 25-keystroke capture windows, mouse sessions segmented into actions.
 */
export type FileFeatures =
  | { readonly modality: 'keystroke'; readonly file: string; readonly format: string; readonly streams: readonly (readonly KeystrokeWindow[])[]; readonly skipped: SkipCounts; readonly units: number }
  | { readonly modality: 'mouse'; readonly file: string; readonly format: string; readonly streams: readonly (readonly MouseActionFeatures[])[]; readonly skipped: SkipCounts; readonly units: number; readonly timeUnit: string };

export function fileFeatures(file: string): FileFeatures {
  const input = readInputFile(file);
  const skipped: SkipCounts = { ...input.skipped };
  if (input.modality === 'keystroke') {
    const streams: KeystrokeWindow[][] = [];
    let units = 0;
    for (const s of input.sessions) {
      const blocks = keystrokeWindows(s.keystrokes, CAPTURE_WINDOW);
      const tail = s.keystrokes.length - blocks.length * CAPTURE_WINDOW;
      if (tail > 0) skipped['keystrokes in a session tail shorter than 25'] = (skipped['keystrokes in a session tail shorter than 25'] ?? 0) + tail;
      if (blocks.length > 0) streams.push(blocks);
      units += blocks.length * CAPTURE_WINDOW;
    }
    return { modality: 'keystroke', file, format: input.format, streams, skipped, units };
  }
  const actions: MouseAction[] = [];
  const seg = new MouseSegmenter((a) => actions.push(a));
  for (const e of input.session.events) seg.add(e);
  seg.flush();
  if (seg.counts.tooShort > 0) skipped['mouse pieces under 4 points'] = seg.counts.tooShort;
  if (seg.counts.wheel > 0) skipped['wheel events (not actions)'] = seg.counts.wheel;
  const feats: MouseActionFeatures[] = [];
  for (const a of actions) {
    const f = mouseActionFeatures(a);
    if (f.values.every(Number.isFinite)) feats.push(f);
    else countSkip(skipped, 'mouse actions with a non-finite feature');
  }
  return { modality: 'mouse', file, format: input.format, streams: feats.length > 0 ? [feats] : [], skipped, units: feats.length, timeUnit: input.session.timeUnit };
}

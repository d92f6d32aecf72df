import type { Detector } from '../../model/detector';
import type { KeystrokeWindow } from '../../model/keystroke-windows';
import type { MouseActionFeatures } from '../../model/mouse-features';

/*
 * The trust layer (src/model/profile.ts) is written in parallel with this
 * evaluation. Until it is in the checkout, `cadence eval` still measures the
 * detectors and says plainly that trust figures are unavailable, instead of
 * failing as a whole. These are the signatures agreed for that module; when
 * it lands the require below resolves and the trust figures appear.
 */
export type SensitivityPreset = 'relaxed' | 'balanced' | 'strict';
export const PRESETS: readonly SensitivityPreset[] = ['relaxed', 'balanced', 'strict'];

export interface TrustUpdate {
  readonly trust: number;
  readonly locked: boolean;
  readonly evidence: number;
}

interface TrustSessionLike {
  addKeystrokeWindow(w: KeystrokeWindow): TrustUpdate;
  addMouseActions(a: readonly MouseActionFeatures[]): TrustUpdate;
}

export interface TrustModule {
  fitKeystrokeProfile(enrolment: readonly KeystrokeWindow[], detector?: Detector<KeystrokeWindow>): unknown;
  fitMouseProfile(enrolment: readonly MouseActionFeatures[], detector?: Detector<readonly MouseActionFeatures[]>): unknown;
  TrustSession: new (profiles: { keystroke?: unknown; mouse?: unknown }, preset?: SensitivityPreset) => TrustSessionLike;
}

let loaded: TrustModule | string | undefined;

/** The trust module, or the reason it is unavailable. */
export function trustModule(): TrustModule | string {
  if (loaded === undefined) {
    try {
      loaded = require('../../model/profile') as TrustModule;
      if (typeof loaded.TrustSession !== 'function') loaded = 'src/model/profile.ts does not export TrustSession yet';
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'MODULE_NOT_FOUND') throw err;
      loaded = 'the trust model (src/model/profile.ts) is not in this checkout yet';
    }
  }
  return loaded;
}

/**
 * What a machine policy source yields. "absent" (no policy configured) is a
 * normal state, not an error: most machines have no managed policy.
 */
export type SourceRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly problems: readonly string[] };

export interface MachinePolicySource {
  /** For messages and PolicyView.source, e.g. "/etc/cadence/policy.json". */
  readonly name: string;
  /** Reads the raw policy; never throws. */
  read(): SourceRead;
  /** A file whose changes mean the policy may have changed, or null (poll instead). */
  readonly watchPath: string | null;
}

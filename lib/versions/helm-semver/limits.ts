/**
 * Slipway's own bounds on untrusted text, not Masterminds'. Chart versions and dependency constraints come from
 * registries and repositories we do not control; Go's RE2 engine is linear-time, JavaScript's backtracking engine is
 * not, so a bound keeps every regex below at a few milliseconds even on hostile input. Real versions and constraints
 * are far shorter than this; anything longer is rejected with a message that names the limit.
 */
export const HELM_VERSION_MAX_LENGTH = 256;

/** See {@link HELM_VERSION_MAX_LENGTH}; constraints may `||` several ranges together, hence the larger bound. */
export const HELM_CONSTRAINT_MAX_LENGTH = 1024;

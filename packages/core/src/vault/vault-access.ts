/**
 * The Vault path a credential source requests and the policy capability that request needs (a GET
 * needs `read`, a POST or PUT `update`). Sources report it so that `guise doctor` checks exactly
 * what they will ask for, without a second copy of their path rules.
 */
export interface VaultAccess {
  readonly path: string;
  readonly capability: 'read' | 'update';
}

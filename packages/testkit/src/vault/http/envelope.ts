import { GoStruct } from '../../util/go-json.js';

/** The fields of Vault's response envelope (`logical.HTTPResponse`), all present on every answer. */
export interface EnvelopeFields {
  readonly requestId: string;
  readonly leaseId: string;
  readonly renewable: boolean;
  readonly leaseDuration: number;
  readonly data: unknown;
  readonly wrapInfo: GoStruct | null;
  readonly warnings: readonly string[] | null;
  readonly auth: GoStruct | null;
  readonly mountType: string;
}

const EMPTY: EnvelopeFields = {
  requestId: '',
  leaseId: '',
  renewable: false,
  leaseDuration: 0,
  data: null,
  wrapInfo: null,
  warnings: null,
  auth: null,
  mountType: '',
};

/** The envelope in Vault's field order (reference §1.1); absent fields take their zero values. */
export function envelope(fields: Partial<EnvelopeFields>): GoStruct {
  const all = { ...EMPTY, ...fields };
  return new GoStruct([
    ['request_id', all.requestId],
    ['lease_id', all.leaseId],
    ['renewable', all.renewable],
    ['lease_duration', all.leaseDuration],
    ['data', all.data],
    ['wrap_info', all.wrapInfo],
    ['warnings', all.warnings],
    ['auth', all.auth],
    ['mount_type', all.mountType],
  ]);
}

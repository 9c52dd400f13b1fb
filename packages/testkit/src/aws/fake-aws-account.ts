import type { Clock } from '../clock.js';
import { randomBase64, randomString } from '../util/random.js';

/** AWS key ids and unique ids use base32-ish upper-case characters (`AKIAIOSFODNN7EXAMPLE`). */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** An access key the account issued, as STS's GetCallerIdentity would describe its caller. */
export interface FakeAwsCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present on temporary (`ASIA…`) credentials only. */
  readonly sessionToken?: string;
  /** `Arn` of GetCallerIdentity: the user, the assumed-role session or the federated user. */
  readonly arn: string;
  /** `UserId` of GetCallerIdentity (`AIDA…`, `AROA…:session`, `<account>:<name>`). */
  readonly userId: string;
  /** `Account` of GetCallerIdentity. */
  readonly account: string;
  /** Epoch ms; temporary credentials only (IAM user keys live until deleted). */
  readonly expiresAtMs?: number;
  /** The IAM user owning a long-term key (so that deleting the user deletes its keys). */
  readonly userName?: string;
  /**
   * Epoch ms from which AWS accepts a new IAM user key: IAM is eventually consistent, and a fresh
   * key fails with `InvalidClientTokenId` for seconds (vault-api.md §10 #1). Absent: at once.
   */
  readonly usableFromMs?: number;
}

/** An AWS API error (`Code` and `Message` of AWS's error envelope). */
export class AwsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsApiError';
  }
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * The "cloud": an AWS account whose access keys the fake Vault's AWS engine issues and the fake
 * STS verifies. IAM users, assumed-role sessions, federated users and session tokens each get
 * real-looking keys (`AKIA…` long-term, `ASIA…` + session token temporary) and the ARN they
 * represent.
 */
export class FakeAwsAccount {
  /** 12 digits. */
  readonly accountId: string;
  /** The account's clock, which decides when temporary credentials expire. */
  readonly now: Clock;
  /**
   * How long a new IAM user key stays unknown to STS (IAM's eventual consistency; AWS documents
   * no bound, Vault's docs suggest waiting 5–10 s). Default 0; settable. STS credentials are
   * usable at once.
   */
  propagationDelayMs: number;
  /**
   * Whether AssumeRole is role chaining: the caller (Vault) holds temporary credentials itself,
   * from an instance profile or web identity, so AWS refuses sessions longer than one hour
   * (vault-api.md §10 #2). Default false; settable.
   */
  roleChaining = false;
  private readonly keys = new Map<string, FakeAwsCredential>();
  /** Every secret key and session token ever issued, deleted keys included. */
  private readonly issued: string[] = [];
  private readonly uniqueIds = new Map<string, string>();

  constructor(options: { accountId?: string; now?: Clock; propagationDelayMs?: number } = {}) {
    this.accountId = options.accountId ?? '123456789012';
    if (!/^\d{12}$/.test(this.accountId))
      throw new Error(`accountId must be 12 digits, got ${this.accountId}`);
    this.now = options.now ?? Date.now;
    this.propagationDelayMs = options.propagationDelayMs ?? 0;
  }

  /** iam:CreateUser + iam:CreateAccessKey: a long-term `AKIA…` key of user `path` + `userName`. */
  createUserAccessKey(userName: string, path = '/'): FakeAwsCredential {
    return this.register({
      ...(this.propagationDelayMs > 0 && { usableFromMs: this.now() + this.propagationDelayMs }),
      accessKeyId: `AKIA${randomString(ID_ALPHABET, 16)}`,
      secretAccessKey: randomString(SECRET_ALPHABET, 40),
      arn: `arn:aws:iam::${this.accountId}:user${path}${userName}`,
      userId: this.uniqueId('AIDA', `user/${userName}`),
      account: this.accountId,
      userName,
    });
  }

  /** sts:AssumeRole: temporary credentials of `arn:aws:sts::<acct>:assumed-role/<Role>/<session>`. */
  assumeRole(roleArn: string, sessionName: string, durationSeconds: number): FakeAwsCredential {
    const match = ROLE_ARN.exec(roleArn);
    if (!match)
      throw validationError(
        roleArn,
        'roleArn',
        'Member must satisfy regular expression pattern: arn:aws:iam::<account>:role/<name>',
      );
    if (!SESSION_NAME.test(sessionName)) {
      throw validationError(
        sessionName,
        'roleSessionName',
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
      );
    }
    checkDuration(durationSeconds, 43200);
    if (this.roleChaining && durationSeconds > 3600) {
      throw new AwsApiError(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    const [, roleAccount = this.accountId, roleName = ''] = match;
    return this.registerTemporary(durationSeconds, {
      arn: `arn:aws:sts::${roleAccount}:assumed-role/${roleName}/${sessionName}`,
      userId: `${this.uniqueId('AROA', roleArn)}:${sessionName}`,
      account: roleAccount,
    });
  }

  /** sts:GetFederationToken: temporary credentials of `arn:aws:sts::<acct>:federated-user/<name>`. */
  getFederationToken(name: string, durationSeconds: number): FakeAwsCredential {
    checkDuration(durationSeconds, 129600);
    return this.registerTemporary(durationSeconds, {
      arn: `arn:aws:sts::${this.accountId}:federated-user/${name}`,
      userId: `${this.accountId}:${name}`,
      account: this.accountId,
    });
  }

  /** sts:GetSessionToken: temporary credentials of the calling IAM user. */
  getSessionToken(userName: string, durationSeconds: number): FakeAwsCredential {
    checkDuration(durationSeconds, 129600);
    return this.registerTemporary(durationSeconds, {
      arn: `arn:aws:iam::${this.accountId}:user/${userName}`,
      userId: this.uniqueId('AIDA', `user/${userName}`),
      account: this.accountId,
    });
  }

  /** The credential with this access key id, expired or not; undefined once deleted. */
  findAccessKey(accessKeyId: string): FakeAwsCredential | undefined {
    return this.keys.get(accessKeyId);
  }

  /** iam:DeleteUser (with its access keys), as Vault's revocation of an iam_user lease does. */
  deleteUser(userName: string): void {
    for (const [id, credential] of this.keys)
      if (credential.userName === userName) this.keys.delete(id);
  }

  /** Every key the account knows. */
  credentials(): FakeAwsCredential[] {
    return [...this.keys.values()];
  }

  /**
   * Every secret access key and session token the account ever issued, deleted ones included:
   * for tests asserting that none of them leaked into logs.
   */
  issuedSecrets(): string[] {
    return [...this.issued];
  }

  private registerTemporary(
    durationSeconds: number,
    identity: Pick<FakeAwsCredential, 'arn' | 'userId' | 'account'>,
  ): FakeAwsCredential {
    return this.register({
      ...identity,
      accessKeyId: `ASIA${randomString(ID_ALPHABET, 16)}`,
      secretAccessKey: randomString(SECRET_ALPHABET, 40),
      // Modern STS session tokens start with the base64 of their version header.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBase64(600).replace(/=+$/, '')}`,
      expiresAtMs: this.now() + durationSeconds * 1000,
    });
  }

  private register(credential: FakeAwsCredential): FakeAwsCredential {
    this.keys.set(credential.accessKeyId, credential);
    this.issued.push(credential.secretAccessKey);
    if (credential.sessionToken !== undefined) this.issued.push(credential.sessionToken);
    return credential;
  }

  /** Stable unique ids per principal (`AIDA…` users, `AROA…` roles). */
  private uniqueId(prefix: string, principal: string): string {
    const id = this.uniqueIds.get(principal) ?? `${prefix}${randomString(ID_ALPHABET, 17)}`;
    this.uniqueIds.set(principal, id);
    return id;
  }
}

/** AWS's bounds on DurationSeconds, with its validation texts. */
function checkDuration(durationSeconds: number, max: number): void {
  if (durationSeconds < 900) {
    throw validationError(
      String(durationSeconds),
      'durationSeconds',
      'Member must have value greater than or equal to 900',
    );
  }
  if (durationSeconds > max) {
    throw validationError(
      String(durationSeconds),
      'durationSeconds',
      `Member must have value less than or equal to ${max}`,
    );
  }
}

function validationError(value: string, field: string, constraint: string): AwsApiError {
  return new AwsApiError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

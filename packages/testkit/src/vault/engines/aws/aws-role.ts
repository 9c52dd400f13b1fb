import { badRequest } from '../../errors.js';
import {
  type Fields,
  has,
  readBool,
  readDuration,
  readString,
  readStringList,
  readStringMap,
} from '../../fields.js';

export const CREDENTIAL_TYPES = [
  'iam_user',
  'assumed_role',
  'federation_token',
  'session_token',
] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

/** A role of the AWS secrets engine (builtin/logical/aws awsRoleEntry). */
export interface AwsRole {
  credentialType: string;
  roleArns: string[];
  policyArns: string[];
  policyDocument: string;
  iamGroups: string[];
  iamTags: Record<string, string>;
  sessionTags: Record<string, string>;
  externalId: string;
  defaultStsTtlSeconds: number;
  maxStsTtlSeconds: number;
  userPath: string;
  permissionsBoundaryArn: string;
  mfaSerialNumber: string;
  /** PR #15869: STS credentials without a lease (`ttl` in the data instead). */
  noLease: boolean;
}

const USER_PATH = /^\/([\x21-\x7F]{0,510}\/)?$/;

/**
 * `POST aws/roles/:name` (pathRolesWrite): merges the sent fields into the role, then validates
 * it like `awsRoleEntry.validate`, reporting all problems at once in go-multierror's format.
 */
export function writeAwsRole(existing: AwsRole | undefined, data: Fields): AwsRole {
  const role: AwsRole = existing ?? {
    credentialType: '',
    roleArns: [],
    policyArns: [],
    policyDocument: '',
    iamGroups: [],
    iamTags: {},
    sessionTags: {},
    externalId: '',
    defaultStsTtlSeconds: 0,
    maxStsTtlSeconds: 0,
    userPath: '',
    permissionsBoundaryArn: '',
    mfaSerialNumber: '',
    noLease: false,
  };
  role.credentialType = readString(data, 'credential_type', role.credentialType);
  if (has(data, 'role_arns')) role.roleArns = readStringList(data, 'role_arns');
  if (has(data, 'policy_arns')) role.policyArns = readStringList(data, 'policy_arns');
  if (has(data, 'policy_document'))
    role.policyDocument = compactPolicyDocument(readString(data, 'policy_document'));
  if (has(data, 'iam_groups')) role.iamGroups = readStringList(data, 'iam_groups');
  if (has(data, 'iam_tags')) role.iamTags = readStringMap(data, 'iam_tags');
  if (has(data, 'session_tags')) role.sessionTags = readStringMap(data, 'session_tags');
  role.externalId = readString(data, 'external_id', role.externalId);
  role.defaultStsTtlSeconds = readDuration(data, 'default_sts_ttl', role.defaultStsTtlSeconds);
  role.maxStsTtlSeconds = readDuration(data, 'max_sts_ttl', role.maxStsTtlSeconds);
  role.userPath = readString(data, 'user_path', role.userPath);
  role.permissionsBoundaryArn = readString(
    data,
    'permissions_boundary_arn',
    role.permissionsBoundaryArn,
  );
  role.mfaSerialNumber = readString(data, 'mfa_serial_number', role.mfaSerialNumber);
  role.noLease = readBool(data, 'no_lease', role.noLease);

  const problems = validate(role);
  if (problems.length > 0) {
    // `fmt.Sprintf("...: %q", multierror)`; JSON string quoting matches Go's %q for this text.
    throw badRequest(
      `error(s) validating supplied role data: ${JSON.stringify(multierrorText(problems))}`,
    );
  }
  return role;
}

function validate(role: AwsRole): string[] {
  const problems: string[] = [];
  const type = role.credentialType;
  const sts = ['assumed_role', 'federation_token', 'session_token'].includes(type);
  if (type === '') problems.push('did not supply credential_type');
  else if (!(CREDENTIAL_TYPES as readonly string[]).includes(type))
    problems.push(`unrecognized credential type: ${type}`);
  if (role.defaultStsTtlSeconds !== 0 && !sts) {
    problems.push(
      'default_sts_ttl parameter only valid for assumed_role, federation_token, and session_token credential types',
    );
  }
  if (role.maxStsTtlSeconds !== 0 && !sts) {
    problems.push(
      'max_sts_ttl parameter only valid for assumed_role, federation_token, and session_token credential types',
    );
  }
  if (role.maxStsTtlSeconds > 0 && role.defaultStsTtlSeconds > role.maxStsTtlSeconds) {
    problems.push('"default_sts_ttl" value must be less than or equal to "max_sts_ttl" value');
  }
  if (role.userPath !== '') {
    if (type !== 'iam_user')
      problems.push('user_path parameter only valid for iam_user credential type');
    if (!USER_PATH.test(role.userPath)) {
      problems.push(
        `the specified value for user_path is invalid. It must match "${USER_PATH.source}" regexp`,
      );
    }
  }
  if (role.permissionsBoundaryArn !== '' && type !== 'iam_user') {
    problems.push("cannot supply permissions_boundary_arn when credential_type isn't iam_user");
  }
  if ((role.policyDocument !== '' || role.policyArns.length > 0) && type === 'session_token') {
    problems.push('cannot supply a policy or role when using credential_type session_token');
  }
  if (role.roleArns.length > 0 && type !== 'assumed_role') {
    problems.push("cannot supply role_arns when credential_type isn't assumed_role");
  }
  if (Object.keys(role.sessionTags).length > 0 && type !== 'assumed_role') {
    problems.push("cannot supply session_tags when credential_type isn't assumed_role");
  }
  if (role.externalId !== '' && type !== 'assumed_role') {
    problems.push("cannot supply external_id when credential_type isn't assumed_role");
  }
  return problems;
}

/** go-multierror's default ListFormatFunc. */
function multierrorText(problems: readonly string[]): string {
  const points = problems.map((problem) => `* ${problem}`).join('\n\t');
  return problems.length === 1
    ? `1 error occurred:\n\t${points}\n\n`
    : `${problems.length} errors occurred:\n\t${points}\n\n`;
}

/** The role stores the policy document compacted (`json.Compact`); invalid JSON is refused. */
function compactPolicyDocument(text: string): string {
  if (text === '') return '';
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    throw badRequest(`cannot parse policy document: ${JSON.stringify(text)}`);
  }
}

/** `GET aws/roles/:name` (toResponseData). */
export function awsRoleView(role: AwsRole): Record<string, unknown> {
  return {
    credential_type: role.credentialType,
    default_sts_ttl: role.defaultStsTtlSeconds,
    external_id: role.externalId,
    iam_groups: role.iamGroups,
    iam_tags: role.iamTags,
    max_sts_ttl: role.maxStsTtlSeconds,
    mfa_serial_number: role.mfaSerialNumber,
    permissions_boundary_arn: role.permissionsBoundaryArn,
    policy_arns: role.policyArns,
    policy_document: role.policyDocument,
    role_arns: role.roleArns,
    session_tags: role.sessionTags,
    user_path: role.userPath,
  };
}

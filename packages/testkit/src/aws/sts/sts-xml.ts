import { randomUuid } from '../../util/random.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** An STS answer: status, XML body and the request id AWS also sends as `x-amzn-RequestId`. */
export interface StsAnswer {
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
}

/** An STS error in AWS's query-protocol error envelope (all of STS's errors here are `Sender`). */
export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StsError';
  }
}

export function errorAnswer(error: StsError): StsAnswer {
  const requestId = randomUuid();
  const body =
    `<ErrorResponse xmlns="${NAMESPACE}">\n` +
    '  <Error>\n' +
    '    <Type>Sender</Type>\n' +
    `    <Code>${escapeXml(error.code)}</Code>\n` +
    `    <Message>${escapeXml(error.message)}</Message>\n` +
    '  </Error>\n' +
    `  <RequestId>${requestId}</RequestId>\n` +
    '</ErrorResponse>\n';
  return { status: error.status, body, requestId };
}

export function callerIdentityAnswer(identity: {
  arn: string;
  userId: string;
  account: string;
}): StsAnswer {
  const requestId = randomUuid();
  const body =
    `<GetCallerIdentityResponse xmlns="${NAMESPACE}">\n` +
    '  <GetCallerIdentityResult>\n' +
    `    <Arn>${escapeXml(identity.arn)}</Arn>\n` +
    `    <UserId>${escapeXml(identity.userId)}</UserId>\n` +
    `    <Account>${escapeXml(identity.account)}</Account>\n` +
    '  </GetCallerIdentityResult>\n' +
    '  <ResponseMetadata>\n' +
    `    <RequestId>${requestId}</RequestId>\n` +
    '  </ResponseMetadata>\n' +
    '</GetCallerIdentityResponse>\n';
  return { status: 200, body, requestId };
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** Text-node escaping: quotes stay literal, as in AWS's own messages (`scoped to ... 'sts'`). */
function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (char) => XML_ENTITIES[char] ?? char);
}

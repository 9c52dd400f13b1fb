import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { STSClientConfig } from '@aws-sdk/client-sts';

/** Who the service runs as, as AWS sees it. */
export interface Identity {
  readonly account: string;
  readonly arn: string;
}

/**
 * The service's one job: ask STS who it is. It takes the SDK's default credential chain, as
 * production code does; on a VM with guise (or in a test with guise's emulator) the chain ends at
 * the instance metadata endpoint. `config` is where a test puts its STS endpoint.
 */
export async function whoAmI(config: STSClientConfig = {}): Promise<Identity> {
  const sts = new STSClient(config);
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}));
    if (!answer.Account || !answer.Arn) throw new Error('STS answered without Account or Arn');
    return { account: answer.Account, arn: answer.Arn };
  } finally {
    sts.destroy();
  }
}

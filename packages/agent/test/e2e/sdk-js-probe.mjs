// What a Node program using the AWS SDK for JavaScript v3 does on EC2 with no configuration:
// `fromInstanceMetadata()` on its own, and an STS client left to its default credential chain.
// Prints one JSON object for zero-config.test.ts. Usage: node sdk-js-probe.mjs STS_ENDPOINT_URL
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@aws-sdk/credential-providers';
import process from 'node:process';

const imds = await fromInstanceMetadata()();
const sts = new STSClient({ region: 'us-east-1', endpoint: process.argv[2] });
const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
const chain = await sts.config.credentials();
process.stdout.write(
  `${JSON.stringify({
    imdsAccessKeyId: imds.accessKeyId,
    imdsExpiration: imds.expiration,
    chainAccessKeyId: chain.accessKeyId,
    arn: Arn,
  })}\n`,
);

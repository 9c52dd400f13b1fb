// What a Node program using @azure/identity does on an Azure VM with no configuration:
// DefaultAzureCredential, which first probes IMDS with a header-less GET and a 1 s timeout
// (reference/azure-imds.md §0.3, §3.1), and a standalone ManagedIdentityCredential for the
// user-assigned identity. Prints one JSON object. argv[2]: `guise dev --json` output.
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import process from 'node:process';

const dev = JSON.parse(process.argv[2] ?? '{}');
const userClientId = dev.azure.identities.find((identity) => !identity.systemAssigned).clientId;
const system = await new DefaultAzureCredential().getToken('https://management.azure.com/.default');
const user = await new ManagedIdentityCredential({ clientId: userClientId }).getToken(
  'https://storage.azure.com/.default',
);
process.stdout.write(
  `${JSON.stringify({
    system: { token: system.token, expiresOnTimestamp: system.expiresOnTimestamp },
    user: { token: user.token, expiresOnTimestamp: user.expiresOnTimestamp },
  })}\n`,
);

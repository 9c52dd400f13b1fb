"""Debian's azure-identity ManagedIdentityCredential with no configuration at all, as on an Azure VM.

argv[1]: `guise dev --json` output (for the user-assigned identity's client id). Prints the tokens.
"""
import json
import sys

import azure.identity
from azure.identity import ManagedIdentityCredential

dev = json.loads(sys.argv[1])
user_client_id = next(i["clientId"] for i in dev["azure"]["identities"] if not i["systemAssigned"])
system = ManagedIdentityCredential().get_token("https://management.azure.com/.default")
user = ManagedIdentityCredential(client_id=user_client_id).get_token("https://storage.azure.com/.default")
print(json.dumps({
    "version": azure.identity.__version__,
    "system": {"token": system.token, "expires_on": system.expires_on},
    "user": {"token": user.token, "expires_on": user.expires_on},
}))

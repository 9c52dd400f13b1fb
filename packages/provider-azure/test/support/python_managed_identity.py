"""Gets a token with Debian's azure-identity ManagedIdentityCredential and prints what it got.

argv: scope [client_id]. The endpoint comes from the environment the test sets
(AZURE_POD_IDENTITY_AUTHORITY_HOST for IMDS, IDENTITY_ENDPOINT + IDENTITY_HEADER for App Service).
"""
import json
import sys
import time

import azure.identity
from azure.identity import ManagedIdentityCredential

scope = sys.argv[1]
client_id = sys.argv[2] if len(sys.argv) > 2 else None
credential = ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()
token = credential.get_token(scope)
print(json.dumps({
    "version": azure.identity.__version__,
    "token": token.token,
    "expires_on": token.expires_on,
    "now": int(time.time()),
}))

"""What Python google-auth finds on its own, with no configuration: run by the GCP zero-config
scenario with gcloud's bundled google-auth (2.x, via PYTHONPATH) and with Debian's
python3-google-auth 1.5.1 (/usr/bin/python3). Prints one JSON object."""
import json
import sys

import google.auth
import google.auth.compute_engine
from google.auth.transport.requests import Request

audience = sys.argv[1]
credentials = google.auth.compute_engine.Credentials()
credentials.refresh(Request())
result = {
    "version": getattr(google.auth, "__version__", "1.x (no __version__)"),
    "token": credentials.token,
    "email": credentials.service_account_email,
}
# google.auth.default() and the metadata identity endpoint came after 1.5.1's API settled:
# default() returns a project only from 1.x on GCE; fetch_id_token exists from 1.12.0.
credentials_default, project = google.auth.default()
result["defaultType"] = type(credentials_default).__name__
result["project"] = project
try:
    from google.oauth2 import id_token
except ImportError:
    id_token = None
if id_token is not None and hasattr(id_token, "fetch_id_token"):
    result["idToken"] = id_token.fetch_id_token(Request(), audience)
print(json.dumps(result))

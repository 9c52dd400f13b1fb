"""Drives the fake Vault with Debian's python3-hvac (0.11.x), as an operator's script would.

Reads VAULT_ADDR, ROLE_ID and WRAPPING_TOKEN (a response-wrapped secret_id) from the
environment and prints one JSON object describing what hvac saw.
"""
import json
import os

import hvac
from hvac import exceptions

url = os.environ["VAULT_ADDR"]
report = {"hvac_version": hvac.__version__ if hasattr(hvac, "__version__") else "unknown"}

client = hvac.Client(url=url)
health = client.sys.read_health_status()  # HEAD by default in hvac 0.11
report["health"] = {"status": health.status_code, "body": health.text}

client.token = os.environ["WRAPPING_TOKEN"]
unwrapped = client.sys.unwrap()
report["unwrapped_keys"] = sorted(unwrapped["data"])

try:
    hvac.Client(url=url, token=os.environ["WRAPPING_TOKEN"]).sys.unwrap()
except exceptions.InvalidRequest as error:
    report["second_unwrap"] = {"type": "InvalidRequest", "errors": error.errors}

client.token = None
login = client.auth.approle.login(role_id=os.environ["ROLE_ID"], secret_id=unwrapped["data"]["secret_id"])
report["login"] = login["auth"]
report["client_uses_login_token"] = client.token == login["auth"]["client_token"]

renewed = client.auth.token.renew_self(increment="30m")
report["renew_self"] = {"lease_duration": renewed["auth"]["lease_duration"], "warnings": renewed["warnings"]}

creds = client.secrets.aws.generate_credentials(name="deploy", endpoint="creds", ttl="15m")
report["aws_creds"] = {
    "lease_duration": creds["lease_duration"],
    "renewable": creds["renewable"],
    "keys": sorted(creds["data"]),
    "access_key": creds["data"]["access_key"],
}
# hvac sends endpoint='sts' as PUT with ttl in the query string, which Vault ignores.
sts = client.secrets.aws.generate_credentials(name="deploy", endpoint="sts", ttl="15m")
report["aws_sts"] = {"lease_duration": sts["lease_duration"], "lease_id": sts["lease_id"], "arn": sts["data"]["arn"]}

report["kv"] = client.secrets.kv.v2.read_secret_version(path="app/config")["data"]

try:
    client.secrets.kv.v2.read_secret_version(path="other/config")
except exceptions.Forbidden as error:
    report["forbidden"] = error.errors

print(json.dumps(report))

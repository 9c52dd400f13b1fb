"""What a boto3 program does on EC2 with no configuration: let the default credential chain find
the instance role, then make one signed call. Prints one JSON object for zero-config.test.ts.

Usage: python3 boto3_probe.py STS_ENDPOINT_URL
"""
import json
import sys

import boto3

session = boto3.Session()
credentials = session.get_credentials()
if credentials is None:
    sys.exit("boto3 found no credentials")
sts = session.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1")
print(json.dumps({
    "python": sys.executable,
    "boto3": boto3.__version__,
    "method": credentials.method,
    "accessKeyId": credentials.get_frozen_credentials().access_key,
    "arn": sts.get_caller_identity()["Arn"],
}))

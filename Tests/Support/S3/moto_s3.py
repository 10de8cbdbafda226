#!/usr/bin/env python3
"""A real S3 API on loopback for the tests: moto's server (PyPI `moto[server]`) with request
signatures checked (INITIAL_NO_AUTH_ACTION_COUNT), a user with an access key and one bucket.

Prints one JSON line {"endpoint", "access_key_id", "secret", "bucket", "region"} once ready, then
serves until its standard input closes (the test process ending closes it).
"""
import json, os, socket, subprocess, sys, time

import boto3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="4")
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # The four unauthenticated actions: the user, its key, its policy, the bucket.
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIASETUPSETUPSETUP0", aws_secret_access_key="setup")
        iam.create_user(UserName="koni-media")
        key = iam.create_access_key(UserName="koni-media")["AccessKey"]
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        iam.put_user_policy(UserName="koni-media", PolicyName="media", PolicyDocument=json.dumps(policy))
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
        s3.create_bucket(Bucket="koni-media")
        print(json.dumps({"endpoint": endpoint, "access_key_id": key["AccessKeyId"], "secret": key["SecretAccessKey"], "bucket": "koni-media", "region": "us-east-1"}), flush=True)
        sys.stdin.read()
    finally:
        # moto can take long to stop on a busy machine; it is a test fixture, so kill it then.
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()

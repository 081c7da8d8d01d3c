#!/usr/bin/env python3
"""The baseline rolemap is measured against: a Python + PyYAML generator for aws-auth, written for the benchmark.

It does what the original eks-k8s-role-mapping Python generator did as a Terraform `external` data source: read the
query (one JSON object of strings, lists and maps jsonencode()d) on stdin, build the mapRoles and mapUsers entries, dump
them with PyYAML and print one JSON object of strings. It follows rolemap's rules for well-formed input (node roles
first in input order, then the other roles sorted by ARN, users sorted by ARN, the username taken from the ARN, role
paths removed) so that both print the same bytes for the benchmark inputs; bench/run.py checks that they do.

It validates nothing and lints nothing (rolemap does both, and reads its own output back), so the comparison favours
the baseline. It uses PyYAML's pure-Python dumper, as the original did; `--libyaml` uses the C dumper instead.
"""
import json
import sys

import yaml

NODE_GROUPS = ["system:bootstrappers", "system:nodes"]


def decoded(query, key, empty):
    text = query.get(key) or ""
    return json.loads(text) if text.strip() else empty


def role_arn_without_path(arn):
    """arn:P:iam::A:role/path/name and arn:P:sts::A:assumed-role/name/session both become arn:P:iam::A:role/name."""
    parts = arn.split(":", 5)
    kind, _, rest = parts[5].partition("/")
    name = rest.split("/")[0] if kind == "assumed-role" else rest.rsplit("/", 1)[-1]
    return "arn:%s:iam::%s:role/%s" % (parts[1], parts[4], name)


def quoting_dumper(base):
    """The dumper with rolemap's one quoting rule beyond YAML's: a value with a {{template}} is double-quoted."""

    class Dumper(base):
        pass

    def represent_str(dumper, value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if "{{" in value else None)

    Dumper.add_representer(str, represent_str)
    return Dumper


def main():
    dumper = quoting_dumper(yaml.CSafeDumper if "--libyaml" in sys.argv[1:] else yaml.SafeDumper)
    query = json.load(sys.stdin)
    workers = decoded(query, "eks_worker_iam_role_arns", [])
    if query.get("eks_worker_iam_role_arn"):
        workers.append(query["eks_worker_iam_role_arn"])
    windows = decoded(query, "windows_worker_iam_role_arns", [])
    fargate = decoded(query, "eks_fargate_profile_executor_iam_role_arns", [])
    roles = decoded(query, "iam_role_to_rbac_group_mappings", {})
    users = decoded(query, "iam_user_to_rbac_group_mappings", {})
    accounts = decoded(query, "map_accounts", [])

    map_roles = []
    for arn in workers:
        map_roles.append({"rolearn": role_arn_without_path(arn), "username": "system:node:{{EC2PrivateDNSName}}", "groups": list(NODE_GROUPS)})
    for arn in windows:
        map_roles.append({"rolearn": role_arn_without_path(arn), "username": "system:node:{{EC2PrivateDNSName}}", "groups": NODE_GROUPS + ["eks:kube-proxy-windows"]})
    for arn in fargate:
        map_roles.append({"rolearn": role_arn_without_path(arn), "username": "system:node:{{SessionName}}", "groups": NODE_GROUPS + ["system:node-proxier"]})
    for arn in sorted(roles):
        canonical = role_arn_without_path(arn)
        map_roles.append({"rolearn": canonical, "username": canonical.rsplit("/", 1)[-1], "groups": roles[arn]})
    map_users = [{"userarn": arn, "username": arn.rsplit("/", 1)[-1], "groups": users[arn]} for arn in sorted(users)]

    def dump(value):
        return yaml.dump(value, Dumper=dumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=1 << 30)

    result = {
        "mapRoles": dump(map_roles),
        "mapUsers": dump(map_users),
        "mapAccounts": dump([str(a) for a in accounts]),
        "warnings": "[]",
    }
    sys.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()

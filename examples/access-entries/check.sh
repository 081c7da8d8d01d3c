#!/usr/bin/env bash
# Planning the move of a grown aws-auth to access entries (see README.md here): the plan, an export, and what a
# caller gets once the access entries exist.
set -uo pipefail
cd "$(dirname "$0")"
. ../check-lib.sh

INPUTS=(--aws-auth aws-auth.yaml --iam-arns iam-roles.json --iam-arns iam-users.json --access-entries access-entries.json --cluster-name prod)

expect_output 'AmazonEKSClusterAdminPolicy' access-entries export -o terraform "${INPUTS[@]}"
expect no access-entries plan "${INPUTS[@]}"
expect_output 'mapAccounts' access-entries plan "${INPUTS[@]}"
expect_output 'EC2_LINUX' access-entries plan "${INPUTS[@]}" -o json
expect_output 'matched by:    access entry' resolve arn:aws:sts::111122223333:assumed-role/eks-managed-ng/i-0123456789abcdef0 --aws-auth aws-auth.yaml --access-entries access-entries.json
# With the cluster's RBAC: what each principal may do after the move, against today. system:masters becomes
# AmazonEKSClusterAdminPolicy (same); system:monitoring is refused by access entries (fewer); mapAccounts ends.
expect_output '  fewer     mapRoles[9]  arn:aws:iam::111122223333:role/monitoring' access-entries plan "${INPUTS[@]}" --rbac rbac
expect_output '"verdict": "fewer"' access-entries plan "${INPUTS[@]}" --rbac rbac -o json
expect no access-entries plan "${INPUTS[@]}" --rbac rbac
finish

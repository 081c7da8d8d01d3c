#!/usr/bin/env bash
# The original module's second scenario, end to end: generate -> lint -> resolve -> can-i -> who-can.
# Worker nodes join through the node role; ApiDeveloper may do everything in namespace apiteam and nothing in
# backendteam, BackendDeveloper the reverse (RoleBindings in rbac/ to the groups apiteam and backendteam).
set -uo pipefail
cd "$(dirname "$0")"
. ../check-lib.sh

API=arn:aws:sts::111122223333:assumed-role/ApiDeveloper/alice
BACKEND=arn:aws:sts::111122223333:assumed-role/BackendDeveloper/bob
NODE=arn:aws:sts::111122223333:assumed-role/eks-worker-nodes/i-0123456789abcdef0

expect_output 'username: "system:node:{{EC2PrivateDNSName}}"' generate spec.yaml
expect_output '0 errors' lint spec.yaml --rbac rbac --expect-nodes
expect_output 'username:      system:node:ip-10-0-1-23.ec2.internal' resolve "$NODE" --spec spec.yaml --ec2-private-dns-name ip-10-0-1-23.ec2.internal
expect_output 'groups:        apiteam' resolve "$API" --spec spec.yaml

expect yes can-i create deployments -n apiteam --as-arn "$API" --spec spec.yaml --rbac rbac
expect yes can-i delete secrets -n apiteam --as-arn "$API" --spec spec.yaml --rbac rbac
expect no  can-i get pods -n backendteam --as-arn "$API" --spec spec.yaml --rbac rbac
expect no  can-i list namespaces --as-arn "$API" --spec spec.yaml --rbac rbac

expect yes can-i create deployments -n backendteam --as-arn "$BACKEND" --spec spec.yaml --rbac rbac
expect no  can-i get pods -n apiteam --as-arn "$BACKEND" --spec spec.yaml --rbac rbac

expect_output 'arn:aws:iam::111122223333:role/ApiDeveloper' who-can create pods -n apiteam --rbac rbac --spec spec.yaml
finish

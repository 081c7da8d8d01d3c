#!/usr/bin/env bash
# The original module's first scenario, end to end: generate -> lint -> resolve -> can-i.
# The ops role gets system:masters (everything); the dev role joins the dev group, which rbac/dev.yaml lets
# read and update pods in every namespace, and nothing else.
set -uo pipefail
cd "$(dirname "$0")"
. ../check-lib.sh

OPS=arn:aws:sts::111122223333:assumed-role/ops/alice
DEV=arn:aws:sts::111122223333:assumed-role/dev/bob

expect_output 'rolearn: arn:aws:iam::111122223333:role/dev' generate spec.yaml
expect_output '"username": "ops"' generate spec.yaml --style terraform --data-only
expect_output '0 errors' lint spec.yaml --rbac rbac
expect_output 'groups:        dev' resolve "$DEV" --spec spec.yaml

expect yes can-i list pods -A --as-arn "$DEV" --spec spec.yaml --rbac rbac
expect yes can-i update pods -n kube-system --as-arn "$DEV" --spec spec.yaml --rbac rbac
expect no  can-i create pods --as-arn "$DEV" --spec spec.yaml --rbac rbac
expect no  can-i get secrets --as-arn "$DEV" --spec spec.yaml --rbac rbac
expect no  can-i delete pods -n default --as-arn "$DEV" --spec spec.yaml --rbac rbac

expect yes can-i '*' '*' -A --as-arn "$OPS" --spec spec.yaml --rbac rbac
expect yes can-i get secrets -n kube-system --as-arn "$OPS" --spec spec.yaml --rbac rbac

expect no  can-i get pods --as-arn arn:aws:sts::111122223333:assumed-role/stranger/eve --spec spec.yaml --rbac rbac
finish

#!/usr/bin/env bash
# The README's quick start: generate (with the role-path warning), lint, resolve.
set -uo pipefail
cd "$(dirname "$0")"
. ../check-lib.sh

expect_output 'rolearn: arn:aws:iam::111122223333:role/ops' generate spec.yaml
expect_output "warning[arn-role-path]" generate spec.yaml
expect_output '"rolearn": "arn:aws:iam::111122223333:role/eks-fargate-pod-execution"' generate spec.yaml --style terraform
expect yes lint spec.yaml
expect no  lint spec.yaml --strict
expect_output 'username:      dev:jane' resolve arn:aws:sts::111122223333:assumed-role/dev/jane --spec spec.yaml
expect_output 'groups:        system:masters' resolve arn:aws:sts::111122223333:assumed-role/ops/jane --spec spec.yaml
expect no resolve arn:aws:sts::111122223333:assumed-role/nobody/jane --spec spec.yaml
finish

#!/usr/bin/env bash
# A cluster in API_AND_CONFIG_MAP: aws-auth, access entries with access policies, and RBAC, asked together (see
# README.md here). Each answer is what EKS decides: RBAC first, then the access entry's policies within their scope.
set -uo pipefail
cd "$(dirname "$0")"
. ../check-lib.sh

IN=(--aws-auth aws-auth.yaml --access-entries access-entries.json --rbac rbac)
S=arn:aws:sts::111122223333:assumed-role

# AmazonEKSClusterAdminPolicy at cluster scope: everything.
expect yes can-i delete pods -n kube-system --as-arn $S/platform-admin/ana "${IN[@]}"
expect yes can-i get /healthz --as-arn $S/platform-admin/ana "${IN[@]}"
# The auditors' access entry replaces their aws-auth entry: its groups (and the cluster-wide view binding) are gone;
# AmazonEKSViewPolicy applies in namespaces dev-*, and has no secrets.
expect yes can-i get pods -n dev-web --as-arn $S/auditors/bo "${IN[@]}"
expect no can-i get pods -n prod --as-arn $S/auditors/bo "${IN[@]}"
expect no can-i get secrets -n dev-web --as-arn $S/auditors/bo "${IN[@]}"
expect yes can-i get pods -n prod --as-arn $S/auditors/bo "${IN[@]}" --authentication-mode CONFIG_MAP
# AmazonEKSEditPolicy in staging only.
expect yes can-i create deployments.apps -n staging --as-arn $S/ci-deployer/run-7 "${IN[@]}"
expect no can-i create deployments.apps -n prod --as-arn $S/ci-deployer/run-7 "${IN[@]}"
expect no can-i create roles.rbac.authorization.k8s.io -n staging --as-arn $S/ci-deployer/run-7 "${IN[@]}"
# AmazonEKSSecretReaderPolicy in payments.
expect yes can-i get secrets -n payments --as-arn $S/payments-secrets/sync "${IN[@]}"
expect no can-i get pods -n payments --as-arn $S/payments-secrets/sync "${IN[@]}"
# AWS does not publish AmazonEKSBlockStorageClusterPolicy's rules: unknown, never no (exit 1).
expect no can-i create persistentvolumes --as-arn $S/auto-mode-cluster/x "${IN[@]}"
expect_output 'unknown' can-i create persistentvolumes --as-arn $S/auto-mode-cluster/x "${IN[@]}"
expect_output 'AmazonEKSBlockStorageClusterPolicy' can-i create persistentvolumes --as-arn $S/auto-mode-cluster/x "${IN[@]}"
# No access entry: aws-auth and RBAC, as before.
expect yes can-i update deployments.apps -n dev-web --as-arn $S/developers/cy "${IN[@]}"
# Impersonation gets RBAC only.
expect no can-i get pods -n dev-web --as auditor:bo --aws-auth aws-auth.yaml --rbac rbac

expect_output 'payments-secrets' who-can get secrets -n payments "${IN[@]}"
expect_output 'may be allowed' who-can get secrets -n payments "${IN[@]}"
expect_output '"accessPolicy"' who-can get secrets -n payments "${IN[@]}" -o json
expect_output 'the access entry for arn:aws:iam::111122223333:role/auditors replaces this aws-auth entry' who-can get pods -n prod "${IN[@]}"
expect_output 'AmazonEKSViewPolicy (namespaces dev-*)' explain $S/auditors/bo get pods -n dev-web "${IN[@]}"
expect_output '? = unknown' matrix --all-mapped "${IN[@]}" -n payments --resource secrets

# IAM Identity Center permission sets mapped by name: path-less in aws-auth, full path in access entries.
expect_output 'rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef' generate sso-spec.yaml --iam-arns iam-roles.json
expect_output 'sso-permission-set-no-role' generate sso-spec.yaml --iam-arns iam-roles.json
expect_output 'role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_fedcba9876543210' access-entries plan sso-spec.yaml --iam-arns iam-roles.json

# lint: the auditors' aws-auth entry is dead (its access entry wins, without the group 'auditors'); no errors, exit 0.
expect yes lint --access-entries access-entries.json --aws-auth aws-auth.yaml --rbac rbac
expect_output 'access-entry-shadows-aws-auth' lint --access-entries access-entries.json --aws-auth aws-auth.yaml --rbac rbac
expect_output 'access-policy-rules-unknown' lint --access-entries access-entries.json -o sarif
expect no lint --access-entries access-entries.json --aws-auth aws-auth.yaml --strict
finish

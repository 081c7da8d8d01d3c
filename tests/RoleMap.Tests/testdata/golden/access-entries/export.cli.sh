#!/bin/sh
# EKS access entries planned by rolemap from examples/access-entries/aws-auth.yaml.
# Apply them once the cluster's authentication mode includes the API (API_AND_CONFIG_MAP or API):
#   aws eks update-cluster-config --name prod --access-config authenticationMode=API_AND_CONFIG_MAP
set -eu
export AWS_PAGER=''
CLUSTER_NAME=prod

# mapRoles[1] arn:aws:iam::111122223333:role/karpenter-node
aws eks create-access-entry --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:role/karpenter/karpenter-node --type EC2_LINUX

# mapRoles[2] arn:aws:iam::111122223333:role/windows-node
aws eks create-access-entry --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:role/windows-node --type EC2_WINDOWS

# mapRoles[4] arn:aws:iam::111122223333:role/hybrid-nodes
aws eks create-access-entry --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:role/hybrid-nodes --type HYBRID_LINUX

# mapRoles[6] arn:aws:iam::111122223333:role/platform-ops (system:masters -> AmazonEKSClusterAdminPolicy)
aws eks create-access-entry --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:role/platform/platform-ops --type STANDARD --username 'ops:{{SessionName}}' --kubernetes-groups platform
aws eks associate-access-policy --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:role/platform/platform-ops --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster

# mapRoles[10] arn:aws:iam::111122223333:role/Admins
aws eks create-access-entry --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:role/admins --type STANDARD --username admin --kubernetes-groups viewers

# mapUsers[0] arn:aws:iam::111122223333:user/ci/deployer
aws eks create-access-entry --cluster-name "$CLUSTER_NAME" --principal-arn arn:aws:iam::111122223333:user/ci/deployer --type STANDARD --username deployer --kubernetes-groups deployers

# Not exported, needs attention (see 'rolemap access-entries plan'):
#   mapRoles[7] arn:aws:iam::111122223333:role/developers: [username-session-colon] access entries require a ':' somewhere before {{SessionName}} in a username, and '{{SessionName}}' has none
#   mapRoles[9] arn:aws:iam::111122223333:role/monitoring: [reserved-group] access entries reject group names that start with system: ('system:monitoring'), and only system:masters has an access-policy equivalent
# Skipped: 5 (mapRoles[0], mapRoles[3], mapRoles[5], mapRoles[8], mapAccounts[0]); the plan says why.
# Once these access entries exist, these aws-auth entries can be deleted: mapRoles[1] arn:aws:iam::111122223333:role/karpenter-node, mapRoles[2] arn:aws:iam::111122223333:role/windows-node, mapRoles[4] arn:aws:iam::111122223333:role/hybrid-nodes, mapRoles[6] arn:aws:iam::111122223333:role/platform-ops, mapRoles[10] arn:aws:iam::111122223333:role/Admins, mapUsers[0] arn:aws:iam::111122223333:user/ci/deployer.

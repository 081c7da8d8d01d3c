# EKS access entries planned by rolemap from examples/access-entries/aws-auth.yaml.
# Apply them once the cluster's authentication mode includes the API (API_AND_CONFIG_MAP or API):
#   authentication_mode = "API_AND_CONFIG_MAP" in the aws_eks_cluster's access_config

variable "cluster_name" {
  description = "Name of the EKS cluster the access entries belong to."
  type        = string
}

# mapRoles[1] arn:aws:iam::111122223333:role/karpenter-node
resource "aws_eks_access_entry" "role_karpenter_node" {
  cluster_name  = var.cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/karpenter/karpenter-node"
  type          = "EC2_LINUX"
}

# mapRoles[2] arn:aws:iam::111122223333:role/windows-node
resource "aws_eks_access_entry" "role_windows_node" {
  cluster_name  = var.cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/windows-node"
  type          = "EC2_WINDOWS"
}

# mapRoles[4] arn:aws:iam::111122223333:role/hybrid-nodes
resource "aws_eks_access_entry" "role_hybrid_nodes" {
  cluster_name  = var.cluster_name
  principal_arn = "arn:aws:iam::111122223333:role/hybrid-nodes"
  type          = "HYBRID_LINUX"
}

# mapRoles[6] arn:aws:iam::111122223333:role/platform-ops (system:masters -> AmazonEKSClusterAdminPolicy)
resource "aws_eks_access_entry" "role_platform_ops" {
  cluster_name      = var.cluster_name
  principal_arn     = "arn:aws:iam::111122223333:role/platform/platform-ops"
  type              = "STANDARD"
  user_name         = "ops:{{SessionName}}"
  kubernetes_groups = ["platform"]
}

resource "aws_eks_access_policy_association" "role_platform_ops_cluster_admin" {
  cluster_name  = aws_eks_access_entry.role_platform_ops.cluster_name
  principal_arn = aws_eks_access_entry.role_platform_ops.principal_arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# mapRoles[10] arn:aws:iam::111122223333:role/Admins
resource "aws_eks_access_entry" "role_admins" {
  cluster_name      = var.cluster_name
  principal_arn     = "arn:aws:iam::111122223333:role/admins"
  type              = "STANDARD"
  user_name         = "admin"
  kubernetes_groups = ["viewers"]
}

# mapUsers[0] arn:aws:iam::111122223333:user/ci/deployer
resource "aws_eks_access_entry" "user_deployer" {
  cluster_name      = var.cluster_name
  principal_arn     = "arn:aws:iam::111122223333:user/ci/deployer"
  type              = "STANDARD"
  user_name         = "deployer"
  kubernetes_groups = ["deployers"]
}

# Not exported, needs attention (see 'rolemap access-entries plan'):
#   mapRoles[7] arn:aws:iam::111122223333:role/developers: [username-session-colon] access entries require a ':' somewhere before {{SessionName}} in a username, and '{{SessionName}}' has none
#   mapRoles[9] arn:aws:iam::111122223333:role/monitoring: [reserved-group] access entries reject group names that start with system: ('system:monitoring'), and only system:masters has an access-policy equivalent
# Skipped: 5 (mapRoles[0], mapRoles[3], mapRoles[5], mapRoles[8], mapAccounts[0]); the plan says why.
# Once these access entries exist, these aws-auth entries can be deleted: mapRoles[1] arn:aws:iam::111122223333:role/karpenter-node, mapRoles[2] arn:aws:iam::111122223333:role/windows-node, mapRoles[4] arn:aws:iam::111122223333:role/hybrid-nodes, mapRoles[6] arn:aws:iam::111122223333:role/platform-ops, mapRoles[10] arn:aws:iam::111122223333:role/Admins, mapUsers[0] arn:aws:iam::111122223333:user/ci/deployer.

# The everything-plain inputs rendered in Terraform's yamlencode style.
eks_worker_iam_role_arn      = "arn:aws:iam::111122223333:role/eks-legacy-workers"
eks_worker_iam_role_arns     = ["arn:aws:iam::111122223333:role/eks-workers"]
windows_worker_iam_role_arns = ["arn:aws:iam::111122223333:role/eks-windows-workers"]
eks_fargate_profile_executor_iam_role_arns = [
  "arn:aws:iam::111122223333:role/eks-fargate-a",
  "arn:aws:iam::111122223333:role/eks-fargate-b",
]
iam_role_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:role/platform/ops"                      = ["system:masters"]
  "arn:aws:sts::111122223333:assumed-role/Auditor/alice@example.com" = ["auditors"]
  "arn:aws-cn:iam::111122223333:role/china-dev"                      = ["dev&ops <cn>"]
}
iam_user_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:user/ci/deployer" = ["deployers"]
}
map_accounts = ["444455556666"]
config_map_labels = {
  "app.kubernetes.io/managed-by" = "terraform"
}
style = "terraform"

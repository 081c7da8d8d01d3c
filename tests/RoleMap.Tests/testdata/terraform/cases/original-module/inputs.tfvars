# Inputs as a user of the original module wrote them: node roles in a deliberate (unsorted) order, a Fargate role,
# role and user maps (Terraform walks maps sorted by key), labels. style = "terraform" must reproduce the original
# module's yamlencode output byte for byte (checked against original.tf by the terraform-console test).
eks_worker_iam_role_arns = [
  "arn:aws:iam::111122223333:role/eks-workers-b",
  "arn:aws:iam::111122223333:role/eks-workers-a",
]
eks_fargate_profile_executor_iam_role_arns = ["arn:aws:iam::111122223333:role/eks-fargate-pods"]
iam_role_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:role/ops"              = ["system:masters"]
  "arn:aws:iam::111122223333:role/BackendDeveloper" = ["backendteam", "viewers"]
  "arn:aws:iam::111122223333:role/ApiDeveloper"     = ["apiteam"]
}
iam_user_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:user/alice" = ["dev"]
  "arn:aws:iam::111122223333:user/bob"   = []
}
config_map_labels = {
  "eks-cluster" = "prod"
}
style = "terraform"

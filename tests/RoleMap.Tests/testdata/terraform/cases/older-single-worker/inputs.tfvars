# The older single worker role input, one user, default (plain) style.
eks_worker_iam_role_arn = "arn:aws:iam::111122223333:role/eks-worker"
iam_user_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:user/ci/deployer" = ["deployers"]
}

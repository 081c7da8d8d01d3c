# A human role put in system:nodes: a lint error, not a compile error, and it must fail the plan too.
eks_worker_iam_role_arns = ["arn:aws:iam::111122223333:role/eks-workers"]
iam_role_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:role/admin" = ["system:nodes"]
}

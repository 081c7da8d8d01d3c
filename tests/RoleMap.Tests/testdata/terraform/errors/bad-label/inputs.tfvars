# A label value Kubernetes rejects (spaces).
eks_worker_iam_role_arns = ["arn:aws:iam::111122223333:role/eks-workers"]
config_map_labels = {
  team = "platform team"
}

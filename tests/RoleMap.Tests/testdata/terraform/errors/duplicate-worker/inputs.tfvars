# The same node role in the older single input and in the list (differing only in case): the authenticator
# would keep one entry only.
eks_worker_iam_role_arn  = "arn:aws:iam::111122223333:role/eks-workers"
eks_worker_iam_role_arns = ["arn:aws:iam::111122223333:role/EKS-Workers"]

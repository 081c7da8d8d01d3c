# A partition that does not exist (a typo of aws-us-gov).
eks_worker_iam_role_arns = ["arn:aws-gov:iam::111122223333:role/eks-workers"]

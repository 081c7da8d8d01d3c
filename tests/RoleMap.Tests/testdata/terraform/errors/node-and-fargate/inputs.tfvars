# One role for EC2 nodes and for Fargate: aws-auth can hold only one entry for it.
eks_worker_iam_role_arns                   = ["arn:aws:iam::111122223333:role/eks-shared"]
eks_fargate_profile_executor_iam_role_arns = ["arn:aws:iam::111122223333:role/eks-shared"]

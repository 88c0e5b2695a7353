# A neutral Kubernetes cluster on AWS: an EKS control plane in the private
# subnets and one managed node group per blueprint node pool, each with the
# IAM role EKS requires.
#
# Nodes live in private subnets, so they need a way out to pull images and to
# reach ECR, STS and EC2 while joining the cluster: skyform turns on the
# network's NAT gateway whenever a cluster is in it.

data "aws_partition" "current" {}

locals {
  policy_prefix = "arn:${data.aws_partition.current.partition}:iam::aws:policy"

  cluster_policies = toset(["AmazonEKSClusterPolicy"])
  node_policies = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
  ])
}

resource "aws_iam_role" "cluster" {
  name        = "${var.name}-cluster"
  description = "EKS control plane of ${var.name}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })

  tags = var.labels
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = local.cluster_policies

  role       = aws_iam_role.cluster.name
  policy_arn = "${local.policy_prefix}/${each.key}"
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = var.endpoint_private_access
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
    security_group_ids      = var.additional_security_group_ids
  }

  # Access entries (the EKS API) rather than the aws-auth ConfigMap; whoever
  # creates the cluster gets cluster-admin, and EKS adds the node role's
  # entry for managed node groups itself.
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  dynamic "upgrade_policy" {
    for_each = var.support_type == null ? [] : [var.support_type]
    content {
      support_type = upgrade_policy.value
    }
  }

  enabled_cluster_log_types = var.enabled_cluster_log_types
  deletion_protection       = var.deletion_protection

  tags = var.labels

  # EKS needs the role's permissions while it creates (and deletes) the
  # control plane's network interfaces.
  depends_on = [aws_iam_role_policy_attachment.cluster]
}

resource "aws_iam_role" "nodes" {
  name        = "${var.name}-nodes"
  description = "EKS nodes of ${var.name}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.labels
}

resource "aws_iam_role_policy_attachment" "nodes" {
  for_each = local.node_policies

  role       = aws_iam_role.nodes.name
  policy_arn = "${local.policy_prefix}/${each.key}"
}

resource "aws_eks_node_group" "pool" {
  for_each = var.node_pools

  cluster_name = aws_eks_cluster.this.name
  # A prefix rather than a fixed name, so that a change that replaces the
  # group (instance types, disk) brings the new one up before the old one
  # goes.
  node_group_name_prefix = "${each.key}-"
  node_role_arn          = aws_iam_role.nodes.arn
  subnet_ids             = var.subnet_ids
  version                = var.kubernetes_version

  instance_types = each.value.instance_types
  capacity_type  = each.value.capacity_type
  ami_type       = each.value.ami_type
  disk_size      = each.value.disk_size

  scaling_config {
    min_size = each.value.min_size
    max_size = each.value.max_size
    desired_size = coalesce(
      each.value.desired_size,
      min(max(each.value.min_size, 1), each.value.max_size),
    )
  }

  update_config {
    max_unavailable = 1
  }

  labels = merge(each.value.labels, { "skyform/node-pool" = each.key })

  tags = merge(var.labels, { "skyform-node-pool" = each.key })

  lifecycle {
    create_before_destroy = true
    # A cluster autoscaler moves desired_size between min and max; Terraform
    # should not fight it.
    ignore_changes = [scaling_config[0].desired_size]
  }

  # Nodes cannot join before the role may pull images and run the CNI.
  depends_on = [aws_iam_role_policy_attachment.nodes]
}

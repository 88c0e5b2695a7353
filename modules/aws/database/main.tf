# A neutral database on AWS: one RDS instance in the private subnets, reached
# only through its security group, with the administrator password generated
# and kept in Secrets Manager by RDS (manage_master_user_password), so no
# password ever appears in Terraform configuration or state.

locals {
  # RDS identifiers allow no consecutive hyphens, which blueprint names may
  # contain.
  identifier = replace(var.name, "/-+/", "-")
  port       = var.engine == "postgres" ? 5432 : 3306
  skip_final = coalesce(var.skip_final_snapshot, !var.deletion_protection)
}

resource "aws_db_subnet_group" "this" {
  name        = local.identifier
  description = "Private subnets of the database ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = var.labels
}

resource "aws_security_group" "this" {
  name        = "${local.identifier}-db"
  description = "Database ${var.name}: ${var.engine} port from its clients only"
  vpc_id      = var.vpc_id

  tags = merge(var.labels, { Name = "${local.identifier}-db" })
}

# No egress rule: the database only answers connections.
resource "aws_vpc_security_group_ingress_rule" "from_security_group" {
  for_each = var.allowed_security_group_ids

  security_group_id            = aws_security_group.this.id
  description                  = "${var.engine} from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = each.value

  tags = var.labels
}

resource "aws_vpc_security_group_ingress_rule" "from_cidr" {
  for_each = var.allowed_cidr_blocks

  security_group_id = aws_security_group.this.id
  description       = "${var.engine} from ${each.key}"
  ip_protocol       = "tcp"
  from_port         = local.port
  to_port           = local.port
  cidr_ipv4         = each.value

  tags = var.labels
}

resource "aws_db_instance" "this" {
  identifier = local.identifier

  engine         = var.engine
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = local.port

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = var.storage_type
  storage_encrypted     = true

  db_name                     = var.db_name
  username                    = var.username
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period = var.backup_retention_period
  copy_tags_to_snapshot   = true
  deletion_protection     = var.deletion_protection
  # A protected database is precious: destroying it (once protection is
  # lifted) leaves a final snapshot. An unprotected one is disposable, and a
  # fixed snapshot name would clash on its next destroy.
  skip_final_snapshot       = local.skip_final
  final_snapshot_identifier = local.skip_final ? null : "${local.identifier}-final"

  auto_minor_version_upgrade   = var.auto_minor_version_upgrade
  allow_major_version_upgrade  = var.allow_major_version_upgrade
  apply_immediately            = var.apply_immediately
  engine_lifecycle_support     = var.engine_lifecycle_support
  performance_insights_enabled = var.performance_insights_enabled

  tags = var.labels

  lifecycle {
    precondition {
      condition     = var.max_allocated_storage == 0 || var.max_allocated_storage >= var.allocated_storage
      error_message = "The max_allocated_storage must be 0 (no autoscaling) or at least allocated_storage."
    }
  }
}

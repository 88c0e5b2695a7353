# The implicit network of a blueprint on AWS: one VPC with a private subnet in
# each of var.zone_count availability zones, and the security group that
# functions attached to the VPC use. Databases and EKS clusters live in the
# private subnets; nothing here gets a public IP address.
#
# Egress. There is no NAT gateway unless var.nat_gateway is set, because one
# is billed by the hour and by the gigabyte even when idle. Without it, a
# workload in the private subnets reaches only the VPC: the databases, and
# the AWS services listed in var.interface_endpoints through interface
# endpoints. In particular a Lambda function attached to the VPC (to reach a
# database) can no longer call the internet or AWS APIs that have no endpoint
# here. skyform adds the endpoints those functions' references need (SQS,
# Secrets Manager), warns about the rest, and turns the NAT gateway on when an
# EKS cluster is in the network, since nodes must pull images and talk to
# ECR, STS and EC2 to join the cluster.

data "aws_availability_zones" "available" {
  state = "available"

  # Local Zones and Wavelength Zones are opt-in and lack RDS and EKS.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_region" "current" {}

locals {
  # Subnets are keyed by position rather than by zone name, so the keys are
  # known at plan time and do not move when AWS opens a new zone.
  zones = { for i in range(var.zone_count) : "zone-${i + 1}" => i }
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr_block

  # Private DNS names of interface endpoints and of a private EKS API
  # endpoint resolve only with both enabled.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.labels, { Name = var.name })
}

resource "aws_subnet" "private" {
  for_each = local.zones

  vpc_id            = aws_vpc.this.id
  availability_zone = data.aws_availability_zones.available.names[each.value]
  cidr_block        = cidrsubnet(var.cidr_block, 4, each.value)

  tags = merge(var.labels, {
    Name = "${var.name}-private-${each.key}"
    # Where the AWS Load Balancer Controller puts internal load balancers.
    "kubernetes.io/role/internal-elb" = "1"
  })

  lifecycle {
    precondition {
      condition     = length(data.aws_availability_zones.available.names) >= var.zone_count
      error_message = "The region has fewer available zones than zone_count."
    }
  }
}

# The application security group: functions attached to the VPC use it, and
# databases admit their engine port from it.
resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "skyform functions of ${var.name} that reach private resources"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.labels, { Name = "${var.name}-app" })
}

# Terraform removes the allow-all egress rule AWS puts on a new group, so it
# is declared here: functions reach databases, endpoints and, when there is a
# NAT gateway, the internet.
resource "aws_vpc_security_group_egress_rule" "app_all" {
  security_group_id = aws_security_group.app.id
  description       = "All outbound traffic"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = var.labels
}

# Interface endpoints, for private workloads without a NAT gateway. Each
# costs an hourly fee per zone, so only the services asked for get one.
resource "aws_security_group" "endpoints" {
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints of ${var.name}"
  vpc_id      = aws_vpc.this.id

  tags = merge(var.labels, { Name = "${var.name}-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS from the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.this.cidr_block

  tags = var.labels
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.interface_endpoints

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for s in aws_subnet.private : s.id]
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true

  tags = merge(var.labels, { Name = "${var.name}-${each.key}" })
}

# NAT: public subnets in every zone (free, and what internet-facing load
# balancers need), one internet gateway and a single NAT gateway in the first
# zone. One NAT gateway instead of one per zone halves the fixed cost; the
# price is that private egress stops while that zone is down.
resource "aws_subnet" "public" {
  for_each = var.nat_gateway ? local.zones : {}

  vpc_id            = aws_vpc.this.id
  availability_zone = data.aws_availability_zones.available.names[each.value]
  # Carved from the top of the range, away from the private subnets.
  cidr_block = cidrsubnet(var.cidr_block, 8, 255 - each.value)

  tags = merge(var.labels, {
    Name                     = "${var.name}-public-${each.key}"
    "kubernetes.io/role/elb" = "1"
  })
}

resource "aws_internet_gateway" "this" {
  count = var.nat_gateway ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(var.labels, { Name = var.name })
}

resource "aws_eip" "nat" {
  count = var.nat_gateway ? 1 : 0

  domain = "vpc"

  tags = merge(var.labels, { Name = "${var.name}-nat" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = var.nat_gateway ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public["zone-1"].id

  tags = merge(var.labels, { Name = var.name })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  count = var.nat_gateway ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(var.labels, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = var.nat_gateway ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public[0].id
}

# Without a NAT gateway the private subnets keep the VPC's main route table,
# which routes only inside the VPC.
resource "aws_route_table" "private" {
  count = var.nat_gateway ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(var.labels, { Name = "${var.name}-private" })
}

resource "aws_route" "private_nat" {
  count = var.nat_gateway ? 1 : 0

  route_table_id         = aws_route_table.private[0].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}

resource "aws_route_table_association" "private" {
  for_each = var.nat_gateway ? aws_subnet.private : {}

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[0].id
}

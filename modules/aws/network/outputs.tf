output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "cidr_block" {
  description = "IPv4 range of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per zone, in zone order."
  value       = [for k in sort(keys(aws_subnet.private)) : aws_subnet.private[k].id]
}

output "app_security_group_id" {
  description = "Security group of functions attached to the VPC; databases admit it."
  value       = aws_security_group.app.id
}

output "nat_gateway" {
  description = "Whether private workloads reach the internet through a NAT gateway."
  value       = var.nat_gateway
}

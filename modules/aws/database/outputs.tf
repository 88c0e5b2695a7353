output "id" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "host" {
  description = "Private DNS name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port the engine listens on."
  value       = aws_db_instance.this.port
}

output "name" {
  description = "Name of the database created on the server."
  value       = aws_db_instance.this.db_name
}

output "username" {
  description = "Administrator user name."
  value       = aws_db_instance.this.username
}

output "password_secret" {
  description = "ARN of the Secrets Manager secret where RDS keeps the administrator password."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "identifier" {
  description = "RDS instance identifier."
  value       = aws_db_instance.this.identifier
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.this.id
}

output "engine_version_actual" {
  description = "Engine version RDS runs, with its minor version."
  value       = aws_db_instance.this.engine_version_actual
}

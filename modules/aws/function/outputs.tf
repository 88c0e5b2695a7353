output "id" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "name" {
  description = "Name of the function in Lambda."
  value       = aws_lambda_function.this.function_name
}

output "url" {
  description = "HTTPS address of the function URL, or \"\" when the function has no http trigger."
  value       = var.function_url_auth_type == null ? "" : aws_lambda_function_url.this[0].function_url
}

output "role_arn" {
  description = "ARN of the function's execution role, to grant it more."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "CloudWatch Logs group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

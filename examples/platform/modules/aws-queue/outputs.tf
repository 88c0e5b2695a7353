output "id" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "name" {
  description = "Name of the queue in SQS."
  value       = aws_sqs_queue.this.name
}

output "url" {
  description = "URL that clients send messages to."
  value       = aws_sqs_queue.this.url
}

output "arn" {
  description = "ARN of the queue, for IAM policies and event source mappings."
  value       = aws_sqs_queue.this.arn
}

output "dead_letter_arn" {
  description = "ARN of the dead-letter queue (every queue has one)."
  value       = aws_sqs_queue.dead_letter.arn
}

output "dead_letter_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.url
}

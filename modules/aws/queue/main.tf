# A neutral queue on AWS: one SQS queue and, when the blueprint asks for a
# dead letter, a second queue of the same kind that failed messages move to.

locals {
  # SQS requires FIFO queue names to end in ".fifo" (80 characters in all).
  suffix           = var.fifo ? ".fifo" : ""
  queue_name       = "${var.name}${local.suffix}"
  dead_letter_name = "${var.name}-dlq${local.suffix}"
  dead_letter      = var.max_receive_count != null
}

resource "aws_sqs_queue" "this" {
  name       = local.queue_name
  fifo_queue = var.fifo
  # Deduplicate on a hash of the body, so senders need not pass a
  # deduplication id; SQS refuses the setting on standard queues.
  content_based_deduplication = var.fifo

  visibility_timeout_seconds = var.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  receive_wait_time_seconds  = var.receive_wait_time_seconds
  max_message_size           = var.max_message_size
  sqs_managed_sse_enabled    = var.encryption

  redrive_policy = local.dead_letter ? jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[0].arn
    maxReceiveCount     = var.max_receive_count
  }) : null

  tags = var.labels
}

# A FIFO queue's dead-letter queue must be FIFO too, so it mirrors the source.
resource "aws_sqs_queue" "dead_letter" {
  count = local.dead_letter ? 1 : 0

  name                        = local.dead_letter_name
  fifo_queue                  = var.fifo
  content_based_deduplication = var.fifo
  message_retention_seconds   = var.dead_letter_retention_seconds
  receive_wait_time_seconds   = var.receive_wait_time_seconds
  max_message_size            = var.max_message_size
  sqs_managed_sse_enabled     = var.encryption

  tags = var.labels
}

# Only the source queue may use the dead-letter queue, so no other queue can
# pour its failures into it.
resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  count = local.dead_letter ? 1 : 0

  queue_url = aws_sqs_queue.dead_letter[0].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

# The platform team's SQS queue: what skyform's own queue module does, with
# two house rules on top.
#
# - Every queue is encrypted with a KMS key (the account's aws/sqs key
#   unless kms_key_id names a customer-managed one), never SSE-SQS, and a
#   blueprint cannot turn encryption off.
# - Every queue has a dead-letter queue named "<queue>-dlq" that keeps
#   messages for 14 days and accepts failures from its own queue only; a
#   blueprint without dead_letter gets one after 5 receives.

locals {
  suffix            = var.fifo ? ".fifo" : ""
  queue_name        = "${var.name}${local.suffix}"
  dead_letter_name  = "${var.name}-dlq${local.suffix}"
  max_receive_count = coalesce(var.max_receive_count, 5)
}

resource "aws_sqs_queue" "dead_letter" {
  name                              = local.dead_letter_name
  fifo_queue                        = var.fifo
  content_based_deduplication       = var.fifo
  message_retention_seconds         = 1209600
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = var.kms_key_id
  kms_data_key_reuse_period_seconds = var.kms_data_key_reuse_period_seconds

  tags = merge(var.labels, { dead-letter-of = local.queue_name })
}

resource "aws_sqs_queue" "this" {
  name                              = local.queue_name
  fifo_queue                        = var.fifo
  content_based_deduplication       = var.fifo
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.message_retention_seconds
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = var.kms_key_id
  kms_data_key_reuse_period_seconds = var.kms_data_key_reuse_period_seconds

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = local.max_receive_count
  })

  tags = var.labels
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

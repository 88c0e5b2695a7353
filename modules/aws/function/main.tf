# A neutral function on AWS: a Lambda function deployed from a local zip, its
# execution role with exactly the permissions its wiring needs, its log group,
# and its triggers (SQS event source mappings, a function URL, EventBridge
# Scheduler schedules).

data "aws_partition" "current" {}

locals {
  role_name = "${var.name}-lambda"
  scheduled = length(var.schedule_triggers) > 0
  # Managed policies live under the partition's own ARN prefix (aws, aws-cn,
  # aws-us-gov).
  policy_prefix = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role"
}

resource "aws_iam_role" "this" {
  name        = local.role_name
  description = "Execution role of the Lambda function ${var.name}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.labels
}

# Writing its own logs.
resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.this.name
  policy_arn = "${local.policy_prefix}/AWSLambdaBasicExecutionRole"
}

# Creating and deleting the network interfaces that attach it to the VPC.
resource "aws_iam_role_policy_attachment" "vpc" {
  count = var.vpc == null ? 0 : 1

  role       = aws_iam_role.this.name
  policy_arn = "${local.policy_prefix}/AWSLambdaVPCAccessExecutionRole"
}

# Consuming each trigger queue: what the event source mapping does on the
# function's behalf, on that queue only.
resource "aws_iam_role_policy" "consume" {
  for_each = var.queue_triggers

  name = "consume-${each.key}"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
      ]
      Resource = each.value.arn
    }]
  })
}

# Sending to the queues its environment refers to.
resource "aws_iam_role_policy" "send" {
  for_each = var.send_queue_arns

  name = "send-${each.key}"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
      Resource = each.value
    }]
  })
}

# Reading the secrets its environment refers to (a database's managed
# password). RDS encrypts them with the AWS-managed Secrets Manager key, which
# needs no separate KMS grant.
resource "aws_iam_role_policy" "read_secret" {
  for_each = var.secret_arns

  name = "read-secret-${each.key}"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      Resource = each.value
    }]
  })
}

# Declared rather than left to Lambda, which would create it on first run
# with no retention and outside Terraform's reach.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days

  tags = var.labels
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = var.runtime
  handler       = var.handler
  architectures = [var.architecture]

  filename         = "${path.root}/${var.package_path}"
  source_code_hash = var.package_sha256

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [var.environment] : []
    content {
      variables = environment.value
    }
  }

  # Lambda manages the network interfaces; when the function leaves the VPC
  # or is destroyed they linger for a while, which can slow the deletion of
  # the subnets and security group.
  dynamic "vpc_config" {
    for_each = var.vpc == null ? [] : [var.vpc]
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = var.labels

  # Lambda checks at creation that the role may manage network interfaces,
  # and the log group must exist before the first invocation writes to it.
  depends_on = [
    aws_iam_role_policy_attachment.basic,
    aws_iam_role_policy_attachment.vpc,
    aws_cloudwatch_log_group.this,
  ]
}

resource "aws_lambda_event_source_mapping" "queue" {
  for_each = var.queue_triggers

  event_source_arn = each.value.arn
  function_name    = aws_lambda_function.this.arn
  batch_size       = each.value.batch_size
  maximum_batching_window_in_seconds = (
    each.value.batching_window_seconds != null ? each.value.batching_window_seconds :
    each.value.batch_size > 10 ? 1 : null
  )

  # The function returns the ids of the messages it failed, and only those
  # are retried (and eventually dead-lettered), not the whole batch.
  function_response_types = ["ReportBatchItemFailures"]

  # With reserved concurrency, the poller must not invoke more instances than
  # the function may run: throttled messages return to the queue and count
  # as failed receives towards the dead-letter threshold.
  dynamic "scaling_config" {
    for_each = var.reserved_concurrent_executions >= 2 ? [var.reserved_concurrent_executions] : []
    content {
      maximum_concurrency = min(scaling_config.value, 1000)
    }
  }

  tags = var.labels

  # Lambda checks at creation that the role may read the queue.
  depends_on = [aws_iam_role_policy.consume]
}

# With authorization NONE the provider also adds the resource-policy
# statements a public URL needs (lambda:InvokeFunctionUrl, and since October
# 2025 lambda:InvokeFunction via the URL) to the function.
resource "aws_lambda_function_url" "this" {
  count = var.function_url_auth_type == null ? 0 : 1

  function_name      = aws_lambda_function.this.function_name
  authorization_type = var.function_url_auth_type
}

# EventBridge Scheduler invokes the function as this role, which may invoke
# this function and nothing else. Only schedules of this account may assume
# it (the confused-deputy guard AWS recommends).
resource "aws_iam_role" "scheduler" {
  count = local.scheduled ? 1 : 0

  name        = "${var.name}-sched"
  description = "EventBridge Scheduler invokes the Lambda function ${var.name} as this role"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current[0].account_id } }
    }]
  })

  tags = var.labels
}

data "aws_caller_identity" "current" {
  count = local.scheduled ? 1 : 0
}

resource "aws_iam_role_policy" "scheduler_invoke" {
  count = local.scheduled ? 1 : 0

  name = "invoke-${var.name}"
  role = aws_iam_role.scheduler[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = [aws_lambda_function.this.arn, "${aws_lambda_function.this.arn}:*"]
    }]
  })
}

# Each schedule invokes the function at the times of its cron expression,
# read in its time zone (daylight saving time included), at the time itself:
# no flexible window.
resource "aws_scheduler_schedule" "this" {
  for_each = var.schedule_triggers

  name        = "${var.name}-${each.key}"
  description = "Invokes the Lambda function ${var.name}"

  schedule_expression          = each.value.expression
  schedule_expression_timezone = each.value.timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.this.arn
    role_arn = aws_iam_role.scheduler[0].arn
  }

  # The scheduler checks at creation that it may assume the role.
  depends_on = [aws_iam_role_policy.scheduler_invoke]
}

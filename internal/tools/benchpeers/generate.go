package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// handler is every unit's function code.
const handler = "def handler(event, context):\n    return len(event.get(\"Records\", []))\n"

// generate writes the N-unit program of every tool below dir.
func generate(dir string, n int, cache string) error {
	files := map[string]string{
		"skyform/skyform.yaml": skyformBlueprint(n),
		"skyform/fn/main.py":   handler,
		"cdktf/main.js":        cdktfApp(n),
		"cdktf/cdktf.json":     `{"language": "typescript", "app": "node main.js", "output": "cdktf.out", "terraformProviders": [], "terraformModules": [], "sendCrashReports": "false"}` + "\n",
		"cdktf/package.json":   `{"name": "units", "private": true}` + "\n",
		"cdktf/fn/main.py":     handler,
		"wing/main.w":          wingProgram(n),
		"wing/package.json":    `{"name": "units", "private": true}` + "\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	// The apps find the pinned packages where npm installed them.
	for _, app := range []string{"cdktf", "wing"} {
		if err := os.Symlink(filepath.Join(cache, "node_modules"), filepath.Join(dir, app, "node_modules")); err != nil {
			return err
		}
	}
	return nil
}

// skyformBlueprint: N queues, each consumed by a function. On AWS a unit
// is 7 cloud resources: the queue, and the function, its role, the basic
// execution policy attachment, the consume policy, its log group and the
// event source mapping (the code is uploaded with the function, not as an
// S3 object).
func skyformBlueprint(n int) string {
	var b strings.Builder
	b.WriteString("blueprint: units\ncloud: aws\nregion: europe-west\nresources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  q%d: {kind: queue}\n", i)
		fmt.Fprintf(&b, "  f%d: {kind: function, runtime: python3.12, source: ./fn, handler: main.handler, triggers: [{queue: q%d}]}\n", i, i)
	}
	return b.String()
}

// cdktfApp: the same N units with CDK for Terraform's prebuilt AWS
// provider, 8 resources each: aws_sqs_queue, aws_iam_role,
// aws_iam_role_policy_attachment (basic execution), aws_iam_role_policy
// (consume the queue), aws_cloudwatch_log_group, aws_s3_object (the code),
// aws_lambda_function, aws_lambda_event_source_mapping; plus one bucket
// for the code. Run by `cdktf synth` (the CLI) or as `node main.js`.
func cdktfApp(n int) string {
	return fmt.Sprintf(`const { App, TerraformStack, TerraformAsset, AssetType, Fn } = require("cdktf");
// Deep imports, as CDKTF recommends: loading the whole provider package costs far more.
const aws = {
  provider: require("@cdktf/provider-aws/lib/provider"),
  sqsQueue: require("@cdktf/provider-aws/lib/sqs-queue"),
  iamRole: require("@cdktf/provider-aws/lib/iam-role"),
  iamRolePolicy: require("@cdktf/provider-aws/lib/iam-role-policy"),
  iamRolePolicyAttachment: require("@cdktf/provider-aws/lib/iam-role-policy-attachment"),
  cloudwatchLogGroup: require("@cdktf/provider-aws/lib/cloudwatch-log-group"),
  s3Bucket: require("@cdktf/provider-aws/lib/s3-bucket"),
  s3Object: require("@cdktf/provider-aws/lib/s3-object"),
  lambdaFunction: require("@cdktf/provider-aws/lib/lambda-function"),
  lambdaEventSourceMapping: require("@cdktf/provider-aws/lib/lambda-event-source-mapping"),
};

const units = %d;

class Units extends TerraformStack {
  constructor(scope, id) {
    super(scope, id);
    new aws.provider.AwsProvider(this, "aws", { region: "eu-west-1" });
    const code = new TerraformAsset(this, "code", { path: "fn", type: AssetType.ARCHIVE });
    const bucket = new aws.s3Bucket.S3Bucket(this, "code-bucket", { bucketPrefix: "units-code-" });
    const assume = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    for (let i = 0; i < units; i++) {
      const queue = new aws.sqsQueue.SqsQueue(this, "q" + i, { name: "q" + i, visibilityTimeoutSeconds: 30 });
      const role = new aws.iamRole.IamRole(this, "f" + i + "-role", { name: "f" + i, assumeRolePolicy: assume });
      new aws.iamRolePolicyAttachment.IamRolePolicyAttachment(this, "f" + i + "-basic", {
        role: role.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      });
      new aws.iamRolePolicy.IamRolePolicy(this, "f" + i + "-consume", {
        role: role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: queue.arn }],
        }),
      });
      new aws.cloudwatchLogGroup.CloudwatchLogGroup(this, "f" + i + "-logs", { name: "/aws/lambda/f" + i, retentionInDays: 14 });
      const object = new aws.s3Object.S3Object(this, "f" + i + "-code", {
        bucket: bucket.id, key: "f" + i + "/" + code.fileName, source: code.path, sourceHash: code.assetHash,
      });
      const fn = new aws.lambdaFunction.LambdaFunction(this, "f" + i, {
        functionName: "f" + i, role: role.arn, runtime: "python3.12", handler: "main.handler",
        s3Bucket: bucket.id, s3Key: object.key, sourceCodeHash: code.assetHash, timeout: 30,
      });
      new aws.lambdaEventSourceMapping.LambdaEventSourceMapping(this, "f" + i + "-trigger", {
        eventSourceArn: queue.arn, functionName: fn.arn, batchSize: 10,
      });
    }
  }
}

const app = new App();
new Units(app, "units");
app.synth();
`, n)
}

// wingProgram: the same N units in Winglang; on tf-aws each queue with its
// consumer is 8 resources (queue, function, role, policy, policy
// attachment, log group, event source mapping, code object) plus one
// bucket for the code.
func wingProgram(n int) string {
	var b strings.Builder
	b.WriteString("bring cloud;\n")
	for i := range n {
		fmt.Fprintf(&b, "\nlet q%d = new cloud.Queue() as \"q%d\";\nq%d.setConsumer(inflight (message: str) => {\n  log(message);\n});\n", i, i, i)
	}
	return b.String()
}

package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
	awscloud "github.com/skyform/skyform/providers/aws"
)

// PermissionError is a cloud refusing a read for want of a permission.
type PermissionError struct {
	// Permission is the action to grant, such as sqs:ListQueues.
	Permission string
	// Message is what the cloud said.
	Message string
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("missing permission %s: the credentials skyform runs with may not call it; grant %s to that identity (the cloud said: %s)", e.Permission, e.Permission, e.Message)
}

// Module defaults skyform's AWS modules use; an imported value that differs
// becomes an override so terraform keeps it.
const (
	sqsMaxMessageSize   = 262144
	sqsReceiveWait      = 20
	lambdaArchitecture  = "x86_64"
	rdsUsername         = "dbadmin"
	lambdaBasicPolicy   = "AWSLambdaBasicExecutionRole"
	lambdaVPCPolicy     = "AWSLambdaVPCAccessExecutionRole"
	eksClusterPolicy    = "AmazonEKSClusterPolicy"
	defaultVisibility   = 30
	defaultRetentionSec = 345600
)

// moduleNames are the cloud names skyform's AWS modules can keep, per
// kind (their name variable's validation), compiled on first use: bounded
// repetitions make large programs, which every run would pay for at start.
var moduleNames = sync.OnceValue(func() map[blueprints.Kind]*regexp.Regexp {
	return map[blueprints.Kind]*regexp.Regexp{
		blueprints.KindQueue:    regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,69}$`),
		blueprints.KindFunction: regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,56}$`),
		blueprints.KindDatabase: regexp.MustCompile(`^[a-z][a-z0-9-]{0,56}$`),
		blueprints.KindCluster:  regexp.MustCompile(`^[a-z][a-z0-9-]{0,56}$`),
	}
})

// keepName reports whether the module can keep the cloud name; when not,
// the resource is listed as unsupported: importing it would rename, that
// is replace, it.
func (a *awsImport) keepName(kind blueprints.Kind, what, cloudName, neutral string) bool {
	if moduleNames()[kind].MatchString(cloudName) {
		return true
	}
	a.res.unsupported(nil, what, "skyform's %s module cannot keep the name %s (it takes %s), and another name would replace it", kind, cloudName, moduleNames()[kind])
	a.names.used[neutral] = false
	return false
}

var eksNodePolicies = []string{"AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"}

// lambdaRuntimes maps Lambda runtime identifiers to neutral runtimes.
var lambdaRuntimes = map[string]blueprints.Runtime{
	"python3.12":      "python3.12",
	"python3.11":      "python3.11",
	"nodejs20.x":      "nodejs20",
	"nodejs22.x":      "nodejs22",
	"provided.al2023": blueprints.Go,
	"provided.al2":    blueprints.Go,
}

// ImportAWS reads SQS queues, Lambda functions with their event source
// mappings and URLs, RDS instances and EKS clusters with their node groups
// in cfg's region. httpClient downloads function code (nil: the default).
func ImportAWS(ctx context.Context, cfg aws.Config, opts Options, httpClient *http.Client) (*Result, error) {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	a := &awsImport{ctx: ctx, opts: opts, http: httpClient,
		sqs: sqs.NewFromConfig(cfg), lambda: lambda.NewFromConfig(cfg), rds: rds.NewFromConfig(cfg), eks: eks.NewFromConfig(cfg),
		res: &Result{Cloud: blueprints.AWS, Region: opts.Region, Unsupported: []Finding{}, Warnings: []Finding{},
			NotRead: []string{
				"EventBridge Scheduler schedules, so a function's schedule triggers are missing (add them as triggers: [{schedule: ...}])",
				"VPCs, subnets and security group rules: skyform's own network is created",
			}}}
	for _, step := range []func() error{a.readQueues, a.readFunctions, a.readDatabases, a.readClusters} {
		if err := step(); err != nil {
			return nil, awsError(err)
		}
	}
	var tags []map[string]string
	for _, q := range a.queues {
		tags = append(tags, q.tags)
	}
	for _, f := range a.functions {
		tags = append(tags, f.tags)
	}
	for _, d := range a.databases {
		tags = append(tags, rdsTags(d.TagList))
	}
	for _, c := range a.clusters {
		tags = append(tags, c.cluster.Tags)
	}
	a.res.Blueprint = opts.blueprintName(tags)
	a.names = &namer{blueprint: a.res.Blueprint, used: map[string]bool{}}
	if err := a.build(); err != nil {
		return nil, err
	}
	a.res.resolve()
	a.res.labels = commonLabels(a.res.Resources)
	return a.res, nil
}

// awsError names the permission an access-denied error lacks.
func awsError(err error) error {
	var oe *smithy.OperationError
	var ae smithy.APIError
	if errors.As(err, &oe) && errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError":
			prefix := map[string]string{"SQS": "sqs", "Lambda": "lambda", "RDS": "rds", "EKS": "eks"}[oe.ServiceID]
			if prefix == "" {
				prefix = strings.ToLower(oe.ServiceID)
			}
			return &PermissionError{Permission: prefix + ":" + oe.OperationName, Message: ae.ErrorMessage()}
		}
	}
	return fmt.Errorf("cannot read AWS: %w", err)
}

type awsImport struct {
	ctx    context.Context
	opts   Options
	http   *http.Client
	sqs    *sqs.Client
	lambda *lambda.Client
	rds    *rds.Client
	eks    *eks.Client
	res    *Result
	names  *namer

	queues    []*awsQueue
	functions []*awsFunction
	databases []rdstypes.DBInstance
	clusters  []*awsCluster
}

type awsQueue struct {
	url, name, arn string
	attrs          map[string]string
	tags           map[string]string
	// dlq is the dead-letter queue skyform's module manages with it.
	dlq *awsQueue
	// absorbed marks a dead-letter queue that is part of another queue.
	absorbed bool
}

type awsFunction struct {
	out      *lambda.GetFunctionOutput
	tags     map[string]string
	mappings []lambdatypes.EventSourceMappingConfiguration
	urls     []lambdatypes.FunctionUrlConfig
}

type awsCluster struct {
	cluster *ekstypes.Cluster
	groups  []*ekstypes.Nodegroup
}

func (a *awsImport) readQueues() error {
	p := sqs.NewListQueuesPaginator(a.sqs, &sqs.ListQueuesInput{QueueNamePrefix: nilIfEmpty(a.opts.Prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, url := range page.QueueUrls {
			at, err := a.sqs.GetQueueAttributes(a.ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll}})
			if err != nil {
				return err
			}
			tg, err := a.sqs.ListQueueTags(a.ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
			if err != nil {
				return err
			}
			q := &awsQueue{url: url, name: url[strings.LastIndex(url, "/")+1:], arn: at.Attributes["QueueArn"], attrs: at.Attributes, tags: tg.Tags}
			if a.opts.keep(q.name, q.tags) {
				a.queues = append(a.queues, q)
			}
		}
	}
	return nil
}

func (a *awsImport) readFunctions() error {
	p := lambda.NewListFunctionsPaginator(a.lambda, &lambda.ListFunctionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, fc := range page.Functions {
			name := aws.ToString(fc.FunctionName)
			if !strings.HasPrefix(name, a.opts.Prefix) {
				continue
			}
			out, err := a.lambda.GetFunction(a.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
			if err != nil {
				return err
			}
			if !a.opts.keep(name, out.Tags) {
				continue
			}
			f := &awsFunction{out: out, tags: out.Tags}
			mp := lambda.NewListEventSourceMappingsPaginator(a.lambda, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String(name)})
			for mp.HasMorePages() {
				mpage, err := mp.NextPage(a.ctx)
				if err != nil {
					return err
				}
				f.mappings = append(f.mappings, mpage.EventSourceMappings...)
			}
			up := lambda.NewListFunctionUrlConfigsPaginator(a.lambda, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String(name)})
			for up.HasMorePages() {
				upage, err := up.NextPage(a.ctx)
				if err != nil {
					return err
				}
				f.urls = append(f.urls, upage.FunctionUrlConfigs...)
			}
			a.functions = append(a.functions, f)
		}
	}
	return nil
}

func (a *awsImport) readDatabases() error {
	p := rds.NewDescribeDBInstancesPaginator(a.rds, &rds.DescribeDBInstancesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, d := range page.DBInstances {
			if a.opts.keep(aws.ToString(d.DBInstanceIdentifier), rdsTags(d.TagList)) {
				a.databases = append(a.databases, d)
			}
		}
	}
	return nil
}

func (a *awsImport) readClusters() error {
	p := eks.NewListClustersPaginator(a.eks, &eks.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, name := range page.Clusters {
			if !strings.HasPrefix(name, a.opts.Prefix) {
				continue
			}
			out, err := a.eks.DescribeCluster(a.ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
			if err != nil {
				return err
			}
			if !a.opts.keep(name, out.Cluster.Tags) {
				continue
			}
			c := &awsCluster{cluster: out.Cluster}
			np := eks.NewListNodegroupsPaginator(a.eks, &eks.ListNodegroupsInput{ClusterName: aws.String(name)})
			for np.HasMorePages() {
				npage, err := np.NextPage(a.ctx)
				if err != nil {
					return err
				}
				for _, ng := range npage.Nodegroups {
					g, err := a.eks.DescribeNodegroup(a.ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String(name), NodegroupName: aws.String(ng)})
					if err != nil {
						return err
					}
					c.groups = append(c.groups, g.Nodegroup)
				}
			}
			a.clusters = append(a.clusters, c)
		}
	}
	return nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func rdsTags(ts []rdstypes.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range ts {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func seconds(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func duration(sec int) string { return blueprints.FormatDuration(time.Duration(sec) * time.Second) }

// arnName is the last part of an ARN's resource ("role/x" → "x").
func arnName(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// arnPartition is an ARN's partition (aws, aws-cn, aws-us-gov).
func arnPartition(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[1] == "" {
		return "aws"
	}
	return parts[1]
}

func (a *awsImport) build() error {
	a.buildQueues()
	for _, f := range a.functions {
		if err := a.buildFunction(f); err != nil {
			return err
		}
	}
	for _, d := range a.databases {
		a.buildDatabase(d)
	}
	for _, c := range a.clusters {
		a.buildCluster(c)
	}
	return nil
}

// buildQueues pairs each queue with the dead-letter queue skyform's module
// would create for it ("<name>-dlq", same kind), imports the rest as
// queues of their own, and lists a redrive to any other queue as
// unsupported.
func (a *awsImport) buildQueues() {
	byARN := map[string]*awsQueue{}
	for _, q := range a.queues {
		byARN[q.arn] = q
	}
	redrive := map[*awsQueue]int{}
	for _, q := range a.queues {
		rp := q.attrs["RedrivePolicy"]
		if rp == "" {
			continue
		}
		var p struct {
			Target string          `json:"deadLetterTargetArn"`
			Max    json.RawMessage `json:"maxReceiveCount"`
		}
		if json.Unmarshal([]byte(rp), &p) != nil {
			a.res.unsupported(nil, "sqs queue "+q.name, "its redrive policy %q cannot be read", rp)
			continue
		}
		max, _ := strconv.Atoi(strings.Trim(string(p.Max), `"`))
		base := strings.TrimSuffix(q.name, ".fifo")
		want := base + "-dlq" + strings.TrimPrefix(q.name, base)
		dlq := byARN[p.Target]
		if dlq == nil || dlq.name != want || dlq.absorbed {
			a.res.unsupported(nil, "sqs queue "+q.name, "its redrive to %s is not the dead-letter queue skyform manages (named %s, next to the queue), so the blueprint has no dead_letter for it", p.Target, want)
			continue
		}
		dlq.absorbed = true
		q.dlq = dlq
		redrive[q] = max
	}
	for _, q := range a.queues {
		if q.absorbed {
			continue
		}
		fifo := q.attrs["FifoQueue"] == "true"
		base := strings.TrimSuffix(q.name, ".fifo")
		name, own := a.names.name(base)
		if !a.keepName(blueprints.KindQueue, "sqs queue "+q.name, base, name) {
			continue
		}
		r := &Resource{Name: name, Kind: blueprints.KindQueue, CloudName: q.name, CloudID: q.arn, tags: q.tags,
			attrs: map[string]string{"id": q.arn, "url": q.url, "name": q.name}}
		ordering := "standard"
		if fifo {
			ordering = "fifo"
		}
		r.fields = append(r.fields, kv{"ordering", ordering},
			kv{"visibility_timeout", duration(seconds(q.attrs["VisibilityTimeout"], defaultVisibility))},
			kv{"retention", duration(seconds(q.attrs["MessageRetentionPeriod"], defaultRetentionSec))})
		if max, ok := redrive[q]; ok {
			r.fields = append(r.fields, kv{"dead_letter", []kv{{"max_deliveries", max}}})
		}
		encrypted := q.attrs["SqsManagedSseEnabled"] == "true"
		if k := q.attrs["KmsMasterKeyId"]; k != "" {
			encrypted = true
			a.res.warn(r, "sqs queue "+q.name, "encrypted with the KMS key %s; skyform's queue module encrypts with SQS-managed keys, so applying switches the queue to them", k)
		}
		r.fields = append(r.fields, kv{"encryption", encrypted})
		if d := seconds(q.attrs["DelaySeconds"], 0); d != 0 {
			a.res.unsupported(r, "sqs queue "+q.name, "its delivery delay of %ds has no blueprint field, and applying sets it to 0", d)
		}
		if !own {
			r.overrides = append(r.overrides, kv{"name", base})
		}
		if n := seconds(q.attrs["MaximumMessageSize"], sqsMaxMessageSize); n != sqsMaxMessageSize {
			r.overrides = append(r.overrides, kv{"max_message_size", n})
		}
		if n := seconds(q.attrs["ReceiveMessageWaitTimeSeconds"], sqsReceiveWait); n != sqsReceiveWait {
			r.overrides = append(r.overrides, kv{"receive_wait_time_seconds", n})
		}
		r.Imports = append(r.Imports, compiler.Import{To: "aws_sqs_queue.this", ID: q.url})
		if q.dlq != nil {
			if n := seconds(q.dlq.attrs["MessageRetentionPeriod"], 1209600); n != 1209600 {
				r.overrides = append(r.overrides, kv{"dead_letter_retention_seconds", n})
			}
			r.Imports = append(r.Imports, compiler.Import{To: "aws_sqs_queue.dead_letter[0]", ID: q.dlq.url})
			if q.dlq.attrs["RedriveAllowPolicy"] != "" {
				r.Imports = append(r.Imports, compiler.Import{To: "aws_sqs_queue_redrive_allow_policy.dead_letter[0]", ID: q.dlq.url})
			} else {
				a.res.warn(r, "sqs queue "+q.dlq.name, "the dead-letter queue lets any queue redrive to it; skyform creates the policy allowing only %s", q.name)
			}
		}
		a.res.Resources = append(a.res.Resources, r)
	}
}

func (a *awsImport) buildFunction(f *awsFunction) error {
	c := f.out.Configuration
	fname := aws.ToString(c.FunctionName)
	what := "lambda function " + fname
	if c.PackageType == lambdatypes.PackageTypeImage {
		a.res.unsupported(nil, what, "it is deployed from a container image, and a blueprint function is built from a source directory")
		return nil
	}
	rt, ok := lambdaRuntimes[string(c.Runtime)]
	if !ok {
		a.res.unsupported(nil, what, "its runtime %s is none of the blueprint's (python3.12, python3.11, nodejs20, nodejs22, go)", c.Runtime)
		return nil
	}
	name, own := a.names.name(fname)
	if !a.keepName(blueprints.KindFunction, what, fname, name) {
		return nil
	}
	r := &Resource{Name: name, Kind: blueprints.KindFunction, CloudName: fname, CloudID: aws.ToString(c.FunctionArn), tags: f.tags,
		attrs: map[string]string{"id": aws.ToString(c.FunctionArn)}, env: map[string]string{}}
	files, err := a.code(f)
	if err != nil {
		return fmt.Errorf("cannot read the code of %s: %w", what, err)
	}
	r.files = files
	r.fields = append(r.fields, kv{"runtime", string(rt)}, kv{"source", "./" + path.Join("functions", name)})
	if rt != blueprints.Go {
		r.fields = append(r.fields, kv{"handler", aws.ToString(c.Handler)})
	}
	r.fields = append(r.fields, kv{"memory_mb", int(aws.ToInt32(c.MemorySize))}, kv{"timeout", duration(int(aws.ToInt32(c.Timeout)))})
	if f.out.Concurrency != nil && aws.ToInt32(f.out.Concurrency.ReservedConcurrentExecutions) > 0 {
		r.fields = append(r.fields, kv{"concurrency", int(aws.ToInt32(f.out.Concurrency.ReservedConcurrentExecutions))})
	}
	if c.Environment != nil {
		for k, v := range c.Environment.Variables {
			r.env[k] = v
		}
	}
	if !own {
		r.overrides = append(r.overrides, kv{"name", fname})
	}
	if len(c.Architectures) == 1 && string(c.Architectures[0]) != lambdaArchitecture {
		r.overrides = append(r.overrides, kv{"architecture", string(c.Architectures[0])})
	}
	for _, u := range f.urls {
		public := u.AuthType == lambdatypes.FunctionUrlAuthTypeNone
		r.triggers = append(r.triggers, trigger{http: &public})
		r.attrs["url"] = aws.ToString(u.FunctionUrl)
		r.Imports = append(r.Imports, compiler.Import{To: "aws_lambda_function_url.this[0]", ID: fname})
	}
	for _, m := range f.mappings {
		src := aws.ToString(m.EventSourceArn)
		if !strings.HasPrefix(src, "arn:") || strings.Split(src, ":")[2] != "sqs" {
			a.res.unsupported(r, "event source mapping "+aws.ToString(m.UUID), "reads %s; a blueprint trigger reads a queue", src)
			continue
		}
		r.triggers = append(r.triggers, trigger{queueARN: src, batch: int(aws.ToInt32(m.BatchSize)), mappingID: aws.ToString(m.UUID)})
	}

	// The module's execution role is "<function>-lambda"; another role is
	// not skyform's and stays where it is.
	roleARN := aws.ToString(c.Role)
	role := arnName(roleARN)
	prefix := "arn:" + arnPartition(roleARN) + ":iam::aws:policy/service-role/"
	skyformRole := role == fname+"-lambda"
	r.Imports = append(r.Imports, compiler.Import{To: "aws_lambda_function.this", ID: fname})
	logGroup := "/aws/lambda/" + fname
	if c.LoggingConfig != nil && aws.ToString(c.LoggingConfig.LogGroup) != "" && aws.ToString(c.LoggingConfig.LogGroup) != logGroup {
		a.res.warn(r, what, "logs to %s; skyform's module logs to %s", aws.ToString(c.LoggingConfig.LogGroup), logGroup)
	} else {
		r.Imports = append(r.Imports, compiler.Import{To: "aws_cloudwatch_log_group.this", ID: logGroup})
	}
	if skyformRole {
		r.Imports = append(r.Imports,
			compiler.Import{To: "aws_iam_role.this", ID: role},
			compiler.Import{To: "aws_iam_role_policy_attachment.basic", ID: role + "/" + prefix + lambdaBasicPolicy})
	} else {
		a.res.warn(r, what, "runs as the role %s, not skyform's %s-lambda: applying creates that role, with exactly the permissions the blueprint's wiring needs, and switches the function to it", role, fname)
	}
	vpc := false
	r.onRef = func(t *Resource, attr string) {
		if !skyformRole {
			return
		}
		switch {
		case t.Kind == blueprints.KindQueue:
			im := compiler.Import{To: fmt.Sprintf("aws_iam_role_policy.send[%q]", t.Name), ID: role + ":send-" + t.Name}
			if !hasImport(r, im) {
				r.Imports = append(r.Imports, im)
			}
		case t.Kind == blueprints.KindDatabase:
			if attr == "password_secret" {
				im := compiler.Import{To: fmt.Sprintf("aws_iam_role_policy.read_secret[%q]", t.Name), ID: role + ":read-secret-" + t.Name}
				if !hasImport(r, im) {
					r.Imports = append(r.Imports, im)
				}
			}
			if !vpc {
				vpc = true
				r.Imports = append(r.Imports, compiler.Import{To: "aws_iam_role_policy_attachment.vpc[0]", ID: role + "/" + prefix + lambdaVPCPolicy})
			}
		}
	}
	r.onTrigger = func(q *Resource, mapping string) {
		r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("aws_lambda_event_source_mapping.queue[%q]", q.Name), ID: mapping})
		if skyformRole {
			r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("aws_iam_role_policy.consume[%q]", q.Name), ID: role + ":consume-" + q.Name})
		}
	}
	a.res.Resources = append(a.res.Resources, r)
	return nil
}

func hasImport(r *Resource, im compiler.Import) bool {
	for _, x := range r.Imports {
		if x == im {
			return true
		}
	}
	return false
}

// code downloads the function's deployment package from the location
// GetFunction gives and unpacks it; only regular files with local paths
// are taken.
func (a *awsImport) code(f *awsFunction) (map[string][]byte, error) {
	if f.out.Code == nil || aws.ToString(f.out.Code.Location) == "" {
		return nil, errors.New("Lambda gave no location for the deployment package")
	}
	return downloadPackage(a.ctx, a.http, aws.ToString(f.out.Code.Location))
}

// classVCPU estimates the vCPUs of an EC2 or RDS class from its size word
// (large 2, xlarge 4, 8xlarge 32...), for the nearest neutral size.
func classVCPU(class string) int {
	size := class[strings.LastIndex(class, ".")+1:]
	switch size {
	case "nano", "micro", "small":
		return 1
	case "medium", "large":
		return 2
	case "xlarge":
		return 4
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge")); err == nil {
		return 4 * n
	}
	return 2
}

var majorRE = regexp.MustCompile(`^(\d+)(\.\d+)?`)

func (a *awsImport) buildDatabase(d rdstypes.DBInstance) {
	id := aws.ToString(d.DBInstanceIdentifier)
	what := "rds instance " + id
	engine := aws.ToString(d.Engine)
	if engine != "postgres" && engine != "mysql" {
		a.res.unsupported(nil, what, "its engine %s is neither postgres nor mysql", engine)
		return
	}
	m := majorRE.FindStringSubmatch(aws.ToString(d.EngineVersion))
	version := ""
	if m != nil {
		version = m[1]
		if engine == "mysql" {
			version = m[0]
		}
	}
	name, own := a.names.name(id)
	if !a.keepName(blueprints.KindDatabase, what, id, name) {
		return
	}
	r := &Resource{Name: name, Kind: blueprints.KindDatabase, CloudName: id, CloudID: aws.ToString(d.DBInstanceArn), tags: rdsTags(d.TagList),
		attrs: map[string]string{"id": aws.ToString(d.DBInstanceArn), "name": aws.ToString(d.DBName), "username": aws.ToString(d.MasterUsername)}}
	if d.Endpoint != nil {
		r.attrs["host"] = aws.ToString(d.Endpoint.Address)
		r.attrs["port"] = strconv.Itoa(int(aws.ToInt32(d.Endpoint.Port)))
	}
	if d.MasterUserSecret != nil {
		r.attrs["password_secret"] = aws.ToString(d.MasterUserSecret.SecretArn)
	} else {
		a.res.warn(r, what, "its password is not kept in Secrets Manager by RDS; applying turns that on (manage_master_user_password), which sets a new password")
	}
	class := aws.ToString(d.DBInstanceClass)
	size, sm, exact := nearestSize((&awscloud.Cloud{}).Sizes(), blueprints.KindDatabase, class, classVCPU(class))
	if !exact {
		a.res.warn(r, what, "instance class %s is not in the size table; size %s (%s) is the nearest, so applying resizes the instance", class, size, sm.Type)
	}
	storage := int(aws.ToInt32(d.AllocatedStorage))
	if storage < 20 {
		a.res.warn(r, what, "%d GB of storage is below the blueprint's 20; applying grows it to 20", storage)
		storage = 20
	}
	backup := int(aws.ToInt32(d.BackupRetentionPeriod))
	if backup < 1 {
		a.res.warn(r, what, "automated backups are off; the blueprint keeps them at least 1 day, so applying turns them on")
		backup = 1
	}
	r.fields = append(r.fields, kv{"engine", engine}, kv{"version", version}, kv{"size", string(size)}, kv{"storage_gb", storage},
		kv{"high_availability", aws.ToBool(d.MultiAZ)}, kv{"backup_retention_days", backup}, kv{"deletion_protection", aws.ToBool(d.DeletionProtection)})
	if !own || strings.Contains(id, "--") {
		r.overrides = append(r.overrides, kv{"name", id})
	}
	// The module names the database after the resource (dashes as
	// underscores); a database with another name keeps it.
	if db := aws.ToString(d.DBName); db != strings.ReplaceAll(name, "-", "_") {
		r.overrides = append(r.overrides, kv{"db_name", db})
	}
	if u := aws.ToString(d.MasterUsername); u != rdsUsername {
		r.overrides = append(r.overrides, kv{"username", u})
	}
	r.Imports = append(r.Imports, compiler.Import{To: "aws_db_instance.this", ID: id})
	if d.DBSubnetGroup != nil {
		if g := aws.ToString(d.DBSubnetGroup.DBSubnetGroupName); g == id {
			r.Imports = append(r.Imports, compiler.Import{To: "aws_db_subnet_group.this", ID: g})
		} else {
			a.res.warn(r, what, "its subnet group %s is not skyform's (named %s); applying creates skyform's in the blueprint's network and moves the instance to it", g, id)
		}
	}
	if len(d.VpcSecurityGroups) == 1 {
		r.Imports = append(r.Imports, compiler.Import{To: "aws_security_group.this", ID: aws.ToString(d.VpcSecurityGroups[0].VpcSecurityGroupId)})
	} else {
		a.res.warn(r, what, "it has %d security groups, skyform's module one; applying creates that one and attaches only it", len(d.VpcSecurityGroups))
	}
	a.res.Resources = append(a.res.Resources, r)
}

func (a *awsImport) buildCluster(c *awsCluster) {
	cl := c.cluster
	cname := aws.ToString(cl.Name)
	what := "eks cluster " + cname
	version := aws.ToString(cl.Version)
	supported := false
	for _, v := range blueprints.KubernetesVersions {
		supported = supported || v == version
	}
	if !supported {
		a.res.unsupported(nil, what, "Kubernetes %s is none of the blueprint's (%s)", version, strings.Join(blueprints.KubernetesVersions, ", "))
		return
	}
	name, own := a.names.name(cname)
	if !a.keepName(blueprints.KindCluster, what, cname, name) {
		return
	}
	r := &Resource{Name: name, Kind: blueprints.KindCluster, CloudName: cname, CloudID: aws.ToString(cl.Arn), tags: cl.Tags,
		attrs: map[string]string{"id": aws.ToString(cl.Arn), "endpoint": aws.ToString(cl.Endpoint)}}
	private := cl.ResourcesVpcConfig != nil && !cl.ResourcesVpcConfig.EndpointPublicAccess
	r.fields = append(r.fields, kv{"kubernetes", version}, kv{"private_endpoint", private})
	if !own {
		r.overrides = append(r.overrides, kv{"name", cname})
	}
	r.Imports = append(r.Imports, compiler.Import{To: "aws_eks_cluster.this", ID: cname})
	roleARN := aws.ToString(cl.RoleArn)
	policy := "arn:" + arnPartition(roleARN) + ":iam::aws:policy/"
	if role := arnName(roleARN); role == cname+"-cluster" {
		r.Imports = append(r.Imports,
			compiler.Import{To: "aws_iam_role.cluster", ID: role},
			compiler.Import{To: fmt.Sprintf("aws_iam_role_policy_attachment.cluster[%q]", eksClusterPolicy), ID: role + "/" + policy + eksClusterPolicy})
	} else {
		a.res.warn(r, what, "its control plane runs as %s, not skyform's %s-cluster; applying creates that role, and EKS replaces a cluster whose role changes", role, cname)
	}
	var pools []kv
	nodeRoles := map[string]bool{}
	for _, g := range c.groups {
		gname := aws.ToString(g.NodegroupName)
		pool := g.Tags["skyform-node-pool"]
		if pool == "" || !strings.HasPrefix(gname, pool+"-") {
			pool = strings.Trim(invalidRE.ReplaceAllString(strings.ToLower(gname), "-"), "-")
			a.res.warn(r, "eks node group "+gname, "skyform names a node group \"<pool>-\" followed by a suffix terraform picks; this one becomes pool %s, and terraform plans to replace it under a new name", pool)
		}
		itype := ""
		if len(g.InstanceTypes) > 0 {
			itype = g.InstanceTypes[0]
		}
		size, sm, exact := nearestSize((&awscloud.Cloud{}).Sizes(), blueprints.KindCluster, itype, classVCPU(itype))
		if !exact {
			a.res.warn(r, "eks node group "+gname, "instance type %s is not in the size table; size %s (%s) is the nearest, so applying replaces the nodes", itype, size, sm.Type)
		}
		min, max := 1, 3
		if g.ScalingConfig != nil {
			min, max = int(aws.ToInt32(g.ScalingConfig.MinSize)), int(aws.ToInt32(g.ScalingConfig.MaxSize))
		}
		fields := []kv{{"size", string(size)}, {"min", min}, {"max", max}}
		if g.CapacityType == ekstypes.CapacityTypesSpot {
			fields = append(fields, kv{"spot", true})
		}
		pools = append(pools, kv{pool, fields})
		r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("aws_eks_node_group.pool[%q]", pool), ID: cname + ":" + gname})
		nodeRoles[aws.ToString(g.NodeRole)] = true
	}
	if len(pools) == 0 {
		a.res.unsupported(r, what, "it has no managed node groups, and a blueprint cluster has at least one node pool")
		a.names.used[name] = false
		return
	}
	r.fields = append(r.fields, kv{"node_pools", pools})
	if len(nodeRoles) == 1 {
		for arn := range nodeRoles {
			if role := arnName(arn); role == cname+"-nodes" {
				r.Imports = append(r.Imports, compiler.Import{To: "aws_iam_role.nodes", ID: role})
				for _, p := range eksNodePolicies {
					r.Imports = append(r.Imports, compiler.Import{To: fmt.Sprintf("aws_iam_role_policy_attachment.nodes[%q]", p), ID: role + "/" + policy + p})
				}
			} else {
				a.res.warn(r, what, "its nodes run as %s, not skyform's %s-nodes; applying creates that role and replaces the node groups", role, cname)
			}
		}
	}
	a.res.Resources = append(a.res.Resources, r)
}

package importer

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/fakecloud"
)

var update = flag.Bool("update", false, "rewrite the imported examples")

func awsConfig(url string) aws.Config {
	return aws.Config{
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAFAKE", "fake", ""),
		BaseEndpoint: aws.String(url),
	}
}

func fakeAWS(t *testing.T, inv *fakecloud.Inventory) *fakecloud.Server {
	t.Helper()
	srv := fakecloud.New(inv)
	t.Cleanup(srv.Close)
	return srv
}

func loadInventory(t *testing.T, path string) *fakecloud.Inventory {
	t.Helper()
	inv, err := fakecloud.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestImportAWSExample regenerates examples/imported-aws from its
// inventory (every list paged one item at a time, each list operation
// throttled once) and compares every file; the blueprint must parse
// without errors.
func TestImportAWSExample(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "imported-aws")
	inv := loadInventory(t, filepath.Join(dir, "inventory.json"))
	srv := fakeAWS(t, inv)
	res, err := ImportAWS(context.Background(), awsConfig(srv.URL), Options{Region: "eu-west-1", Prefix: "shop-"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	files, err := res.Files("skyform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Throttled once, then retried by the SDK.
	calls := strings.Join(srv.Calls(), " ")
	for _, op := range inv.ThrottleOnce {
		if strings.Count(calls, op+" ") < 2 && !strings.HasSuffix(calls, op) {
			t.Errorf("%s was not retried after throttling: %s", op, calls)
		}
	}
	for _, op := range []string{"sqs:ListQueues", "lambda:ListFunctions", "rds:DescribeDBInstances", "eks:ListClusters"} {
		// page_size 1: more than one page of queues, and the throttled retry.
		if n := strings.Count(calls, op); n < 2 {
			t.Errorf("%s called %d times, want paging and a retry", op, n)
		}
	}
	wantExample(t, dir, files)
	var fns []string
	filepath.WalkDir(filepath.Join(dir, "functions"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			fns = append(fns, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, f := range fns {
		if _, ok := files[f]; !ok {
			t.Errorf("%s is in the example but not in a new import", f)
		}
	}
	bp, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), files["skyform.yaml"])
	if ds.HasErrors() {
		t.Fatalf("the imported blueprint does not parse: %v", ds)
	}
	if bp.Name != "shop" {
		t.Errorf("blueprint name %q, want shop (from the skyform-blueprint tag)", bp.Name)
	}
}

// TestImportAWSReferences checks the wiring: triggers and environment
// values are references to the imported resources, literals escaped.
func TestImportAWSReferences(t *testing.T) {
	srv := fakeAWS(t, loadInventory(t, filepath.Join("..", "..", "examples", "imported-aws", "inventory.json")))
	res, err := ImportAWS(context.Background(), awsConfig(srv.URL), Options{Region: "eu-west-1", Prefix: "shop-"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	var fn *Resource
	for _, r := range res.Resources {
		if r.Name == "process-order" {
			fn = r
		}
	}
	if fn == nil {
		t.Fatal("no process-order function")
	}
	got := map[string]any{}
	for _, f := range fn.fields {
		got[f.Key] = f.Value
	}
	wantEnv := []kv{
		{"DB_HOST", "${orders-db.host}"}, {"DB_NAME", "${orders-db.name}"}, {"DB_PASSWORD_SECRET", "${orders-db.password_secret}"},
		{"DB_PORT", "${orders-db.port}"}, {"DB_USER", "${orders-db.username}"}, {"EVENTS_URL", "${events.url}"}, {"GREETING", "hello $${name}"},
	}
	if d := cmp.Diff(wantEnv, got["env"], cmp.AllowUnexported(kv{})); d != "" {
		t.Errorf("env (-want +got):\n%s", d)
	}
	wantTriggers := []any{[]kv{{"queue", "orders"}, {"batch_size", 10}}}
	if d := cmp.Diff(wantTriggers, got["triggers"]); d != "" {
		t.Errorf("triggers (-want +got):\n%s", d)
	}
	var tos []string
	for _, im := range fn.Imports {
		tos = append(tos, im.To)
	}
	sort.Strings(tos)
	want := []string{
		"aws_cloudwatch_log_group.this", "aws_iam_role.this", `aws_iam_role_policy.consume["orders"]`,
		`aws_iam_role_policy.read_secret["orders-db"]`, `aws_iam_role_policy.send["events"]`,
		"aws_iam_role_policy_attachment.basic", "aws_iam_role_policy_attachment.vpc[0]",
		`aws_lambda_event_source_mapping.queue["orders"]`, "aws_lambda_function.this",
	}
	if d := cmp.Diff(want, tos); d != "" {
		t.Errorf("imports (-want +got):\n%s", d)
	}
}

// TestImportAWSFilters: --tag keeps what carries the tag, --prefix what is
// named so; the unsupported are reported, never dropped.
func TestImportAWSFilters(t *testing.T) {
	srv := fakeAWS(t, loadInventory(t, filepath.Join("..", "..", "examples", "imported-aws", "inventory.json")))
	for name, tc := range map[string]struct {
		opts        Options
		want        []string
		unsupported []string
	}{
		"billing tag": {
			opts: Options{Region: "eu-west-1", Tags: map[string]string{"team": "billing"}, Name: "billing"},
			want: []string{"jobs"},
		},
		"prefix": {
			opts: Options{Region: "eu-west-1", Prefix: "shop-orders"},
			want: []string{"orders", "orders-db"},
		},
		"everything": {
			opts:        Options{Region: "eu-west-1", Prefix: "shop-"},
			want:        []string{"audit", "events", "orders", "orders-db", "platform", "process-order"},
			unsupported: []string{"sqs queue shop-events", "lambda function shop-thumbnailer"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := ImportAWS(context.Background(), awsConfig(srv.URL), tc.opts, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			wantFound(t, res, tc.want, tc.unsupported)
		})
	}
}

// TestImportAWSPermission: an access-denied answer names the permission.
func TestImportAWSPermission(t *testing.T) {
	for _, op := range []string{"sqs:ListQueues", "lambda:GetFunction", "rds:DescribeDBInstances", "eks:DescribeNodegroup"} {
		t.Run(op, func(t *testing.T) {
			inv := loadInventory(t, filepath.Join("..", "..", "examples", "imported-aws", "inventory.json"))
			inv.ThrottleOnce = nil
			inv.Deny = []string{op}
			srv := fakeAWS(t, inv)
			_, err := ImportAWS(context.Background(), awsConfig(srv.URL), Options{Region: "eu-west-1"}, srv.Client())
			var pe *PermissionError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a PermissionError", err)
			}
			if pe.Permission != op {
				t.Errorf("permission %q, want %q", pe.Permission, op)
			}
			if !strings.Contains(err.Error(), "missing permission "+op) || !strings.Contains(err.Error(), "not authorized to perform: "+op) {
				t.Errorf("message %q", err)
			}
		})
	}
}

// TestImportAWSEdges: names skyform did not give are kept with an
// override or, when its module cannot keep them, listed as unsupported;
// what a blueprint lacks is listed; sizes off the table are the nearest
// with a warning; the blueprint parses.
func TestImportAWSEdges(t *testing.T) {
	inv := &fakecloud.Inventory{PageSize: 2, AWS: &fakecloud.AWS{Region: "eu-west-1", Account: "123456789012",
		Queues: []fakecloud.AWSQueue{
			{QueueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/legacy-orders", Attributes: map[string]string{"VisibilityTimeout": "60", "DelaySeconds": "5"}},
			{QueueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/Legacy_Orders", Attributes: map[string]string{}},
		},
		Functions: []fakecloud.AWSFunction{
			{Configuration: map[string]any{"FunctionName": "report", "FunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:report", "Runtime": "java21", "PackageType": "Zip"}},
			{Configuration: map[string]any{"FunctionName": "resize", "FunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:resize", "Runtime": "provided.al2023",
				"Handler": "ignored", "MemorySize": 512, "Timeout": 10, "PackageType": "Zip", "Architectures": []string{"arm64"},
				"Role": "arn:aws:iam::123456789012:role/some-role"},
				Code: map[string]string{"bootstrap": "binary"}},
		},
		Databases: []fakecloud.DBInstance{
			{DBInstanceIdentifier: "legacy-db", Engine: "mysql", EngineVersion: "8.0.39", DBInstanceClass: "db.r6g.2xlarge", AllocatedStorage: 10, DBName: "app", MasterUsername: "admin"},
			{DBInstanceIdentifier: "warehouse", Engine: "aurora-postgresql", EngineVersion: "16.4", DBInstanceClass: "db.r6g.large"},
		},
		Clusters: []fakecloud.EKSCluster{{Cluster: map[string]any{"name": "old", "version": "1.27"}}},
	}}
	srv := fakeAWS(t, inv)
	res, err := ImportAWS(context.Background(), awsConfig(srv.URL), Options{Region: "eu-west-1", Name: "app"}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	var names, unsupported []string
	for _, r := range res.Resources {
		names = append(names, r.Name)
	}
	for _, u := range res.Unsupported {
		unsupported = append(unsupported, u.Resource+": "+u.Message)
	}
	if d := cmp.Diff([]string{"legacy-db", "legacy-orders", "resize"}, names); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
	for _, want := range []string{
		"sqs queue legacy-orders: its delivery delay of 5s",
		"sqs queue Legacy_Orders: skyform's queue module cannot keep the name Legacy_Orders",
		"lambda function report: its runtime java21 is none of the blueprint's",
		"rds instance warehouse: its engine aurora-postgresql is neither postgres nor mysql",
		"eks cluster old: Kubernetes 1.27 is none of the blueprint's",
	} {
		found := false
		for _, u := range unsupported {
			found = found || strings.HasPrefix(u, want)
		}
		if !found {
			t.Errorf("no unsupported %q in %q", want, unsupported)
		}
	}
	dir := t.TempDir()
	files, err := res.Files(filepath.ToSlash(filepath.Join(dir, "skyform.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		os.MkdirAll(filepath.Dir(filepath.FromSlash(p)), 0o755)
		os.WriteFile(filepath.FromSlash(p), data, 0o644)
	}
	bp := files[filepath.ToSlash(filepath.Join(dir, "skyform.yaml"))]
	if _, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), bp); ds.HasErrors() {
		t.Fatalf("does not parse: %v\n%s", ds, bp)
	}
	for _, want := range []string{
		"      aws:\n        name: legacy-orders\n",
		"    runtime: go\n    source: ./functions/resize\n    memory_mb: 512\n",
		"        architecture: arm64\n",
		"    version: \"8.0\"\n    size: xlarge\n    storage_gb: 20\n",
		"        name: legacy-db\n        db_name: app\n        username: admin\n",
		"# instance class db.r6g.2xlarge is not in the size table; size xlarge (db.m7g.2xlarge) is the nearest",
		"# - lambda function report: its runtime java21",
		"runs as the role some-role, not skyform's resize-lambda",
	} {
		if !strings.Contains(string(bp), want) {
			t.Errorf("blueprint lacks %q:\n%s", want, bp)
		}
	}
}

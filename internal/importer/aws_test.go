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
	if *update {
		os.RemoveAll(filepath.Join(dir, "functions"))
		for p, data := range files {
			dst := filepath.Join(dir, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(dst), 0o755)
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatalf("%v (go test ./internal/importer -update)", err)
		}
		if d := cmp.Diff(string(got), string(want)); d != "" {
			t.Errorf("%s differs from a new import (-file +import; go test ./internal/importer -update):\n%s", p, d)
		}
	}
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
			var got, unsupported []string
			for _, r := range res.Resources {
				got = append(got, r.Name)
			}
			for _, u := range res.Unsupported {
				unsupported = append(unsupported, u.Resource)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("resources (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.unsupported, unsupported); d != "" {
				t.Errorf("unsupported (-want +got):\n%s", d)
			}
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

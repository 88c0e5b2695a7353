package aws

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/blueprinttest"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
	"github.com/skyform/skyform/providers/conformance"
)

const file = conformance.File

// The shared fixtures, on this cloud.
var (
	at      = conformance.At
	on      = conformance.On
	field   = conformance.Field
	env     = conformance.Env
	ref     = conformance.Ref
	cluster = conformance.Cluster
)

func bp(rs ...*blueprints.Resource) *blueprints.Blueprint {
	return conformance.Blueprint(blueprints.AWS, rs...)
}

func override(r *blueprints.Resource, key string, v any) *blueprints.Resource {
	return conformance.Override(r, blueprints.AWS, key, v)
}

func queue(name string, q blueprints.Queue) *blueprints.Resource {
	return &blueprints.Resource{Name: name, Kind: blueprints.KindQueue, Queue: &q}
}

// fn is a function with the blueprint's defaults, changed by edits.
func fn(name string, edits ...func(*blueprints.Function)) *blueprints.Resource {
	f := &blueprints.Function{Runtime: blueprints.Python312, Source: "fn", Handler: "main.handler", MemoryMB: 256, Timeout: 30 * time.Second}
	for _, e := range edits {
		e(f)
	}
	return &blueprints.Resource{Name: name, Kind: blueprints.KindFunction, Function: f}
}

func db(name string, d blueprints.Database) *blueprints.Resource {
	return &blueprints.Resource{Name: name, Kind: blueprints.KindDatabase, Database: &d}
}

func text(s string) blueprints.Part { return blueprints.Part{Text: s} }

const sha = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="

func lower(t *testing.T, b *blueprints.Blueprint) (*providers.Fragment, diag.Diagnostics) {
	t.Helper()
	in := &providers.Input{Blueprint: b, Resources: b.Placed(blueprints.AWS), Packages: map[string]providers.Package{}}
	for _, r := range b.Resources {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip", SHA256: sha, SHA256Hex: "9f86d081"}
		}
	}
	return New().Lower(in)
}

// module returns the module block with that label, or fails.
func module(t *testing.T, frag *providers.Fragment, label string) *tfir.Block {
	t.Helper()
	for _, m := range frag.Modules {
		if m.Labels[0] == label {
			return m
		}
	}
	t.Fatalf("no module %q", label)
	return nil
}

// args renders each argument of a module call as HCL, keyed by name; an
// argument set twice is a bug.
func args(t *testing.T, b *tfir.Block) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, it := range b.Items {
		if it.Attr == nil {
			continue
		}
		if _, dup := out[it.Attr.Name]; dup {
			t.Errorf("module %s sets %s twice", b.Labels[0], it.Attr.Name)
		}
		out[it.Attr.Name] = expr(t, it.Attr.Value)
	}
	return out
}

// expr renders one expression as HCL on a single line, with single spaces.
func expr(t *testing.T, e tfir.Expr) string {
	t.Helper()
	cfg := &tfir.Config{}
	blk := tfir.NewBlock("locals")
	blk.Set("x", e)
	cfg.File("main").Add(blk)
	files, err := cfg.HCL()
	if err != nil {
		t.Fatal(err)
	}
	s := string(files["main.tf"])
	s = strings.TrimSpace(s[strings.Index(s, "=")+1 : strings.LastIndex(s, "}")])
	return strings.Join(strings.Fields(s), " ")
}

// d is a diagnostic as the tests compare it.
type d struct {
	Severity diag.Severity
	Path     string
	Summary  string
	Line     int
}

func diags(ds diag.Diagnostics) []d {
	out := []d{}
	for _, x := range ds {
		out = append(out, d{x.Severity, x.Path, x.Summary, x.Range.Start.Line})
	}
	return out
}

func TestProvider(t *testing.T) {
	c := New()
	if c.Name() != blueprints.AWS {
		t.Errorf("Name() = %q", c.Name())
	}
	want := providers.Provider{LocalName: "aws", Source: "hashicorp/aws", Version: "6.47.0"}
	if diff := cmp.Diff(want, c.Provider()); diff != "" {
		t.Errorf("Provider() (-want +got):\n%s", diff)
	}
}

func TestSizes(t *testing.T) {
	type row struct {
		Type      string
		VCPU      int
		MemoryGiB float64
		Noted     bool
	}
	want := map[string]row{
		"database/small":  {"db.t4g.medium", 2, 4, true},
		"database/medium": {"db.m7g.large", 2, 8, false},
		"database/large":  {"db.m7g.xlarge", 4, 16, false},
		"database/xlarge": {"db.m7g.2xlarge", 8, 32, false},
		"cluster/small":   {"m7i.large", 2, 8, false},
		"cluster/medium":  {"m7i.xlarge", 4, 16, false},
		"cluster/large":   {"m7i.2xlarge", 8, 32, false},
		"cluster/xlarge":  {"m7i.4xlarge", 16, 64, false},
	}
	got := map[string]row{}
	for _, s := range New().Sizes() {
		got[string(s.Kind)+"/"+string(s.Size)] = row{s.Type, s.VCPU, s.MemoryGiB, s.Note != ""}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sizes() (-want +got):\n%s", diff)
	}
	for typ, alts := range spotAlternatives {
		if len(alts) == 0 {
			t.Errorf("no spot alternatives for %s", typ)
		}
	}
	for _, s := range sizes {
		if s.Kind == blueprints.KindCluster && spotAlternatives[s.Type] == nil {
			t.Errorf("node type %s has no spot alternatives", s.Type)
		}
	}
}

func TestRegion(t *testing.T) {
	cases := map[string]struct {
		reason string
		region blueprints.Region
		want   string
		diags  []d
	}{
		"neutral": {
			reason: "a neutral region maps to its AWS twin",
			region: blueprints.Region{Neutral: "europe-west", Range: at(2)},
			want:   `"eu-west-1"`,
			diags:  []d{},
		},
		"aws native": {
			reason: "an AWS region is used as written",
			region: blueprints.Region{Native: "eu-west-3", NativeCloud: blueprints.AWS, Range: at(2)},
			want:   `"eu-west-3"`,
			diags:  []d{},
		},
		"gcp native with twin": {
			reason: "another cloud's region with a neutral twin is approximated",
			region: blueprints.Region{Neutral: "europe-central", Native: "europe-west3", NativeCloud: blueprints.GCP, Range: at(2)},
			want:   `"eu-central-1"`,
			diags:  []d{{diag.Warning, "region", "region approximated on aws", 2}},
		},
		"gcp native without twin": {
			reason: "another cloud's region without a neutral twin cannot be placed",
			region: blueprints.Region{Native: "europe-west2", NativeCloud: blueprints.GCP, Range: at(2)},
			want:   `""`,
			diags:  []d{{diag.Error, "region", "region has no equivalent on aws", 2}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := bp(queue("jobs", blueprints.Queue{Retention: time.Hour}))
			b.Region = tc.region
			frag, ds := lower(t, b)
			if len(frag.Providers) != 1 || frag.Providers[0].Labels[0] != "aws" {
				t.Fatalf("%s: want one aws provider block, got %v", tc.reason, frag.Providers)
			}
			if got := args(t, frag.Providers[0])["region"]; got != tc.want {
				t.Errorf("%s: region = %s, want %s", tc.reason, got, tc.want)
			}
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestQueue(t *testing.T) {
	cases := map[string]struct {
		reason string
		queue  blueprints.Queue
		want   map[string]string
	}{
		"standard": {
			reason: "durations become whole seconds; no dead letter means no max_receive_count",
			queue:  blueprints.Queue{VisibilityTimeout: 30 * time.Second, Retention: 4 * 24 * time.Hour, Encryption: true},
			want: map[string]string{
				"source": `"./modules/aws/queue"`, "name": `"shop-jobs"`,
				"labels":                     `{ team = "payments" skyform-blueprint = "shop" skyform-resource = "jobs" }`,
				"fifo":                       "false",
				"visibility_timeout_seconds": "30", "message_retention_seconds": "345600", "encryption": "true",
			},
		},
		"fifo with dead letter": {
			reason: "fifo, the dead letter's deliveries and the 12 h / 14 d limits map one to one",
			queue: blueprints.Queue{FIFO: true, VisibilityTimeout: 12 * time.Hour, Retention: 14 * 24 * time.Hour,
				DeadLetter: &blueprints.DeadLetter{MaxDeliveries: 5}, Encryption: true},
			want: map[string]string{
				"source": `"./modules/aws/queue"`, "name": `"shop-jobs"`,
				"labels":                     `{ team = "payments" skyform-blueprint = "shop" skyform-resource = "jobs" }`,
				"fifo":                       "true",
				"visibility_timeout_seconds": "43200", "message_retention_seconds": "1209600",
				"max_receive_count": "5", "encryption": "true",
			},
		},
		"unencrypted": {
			reason: "encryption: false turns SSE-SQS off; the shortest retention is SQS's minimum",
			queue:  blueprints.Queue{Retention: time.Minute},
			want: map[string]string{
				"source": `"./modules/aws/queue"`, "name": `"shop-jobs"`,
				"labels":                     `{ team = "payments" skyform-blueprint = "shop" skyform-resource = "jobs" }`,
				"fifo":                       "false",
				"visibility_timeout_seconds": "0", "message_retention_seconds": "60", "encryption": "false",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(queue("jobs", tc.queue)))
			if len(ds) != 0 {
				t.Errorf("%s: unexpected diagnostics %v", tc.reason, ds)
			}
			if diff := cmp.Diff(tc.want, args(t, module(t, frag, "jobs"))); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff([]string{"aws/queue"}, frag.ModulesUsed); diff != "" {
				t.Errorf("%s: a queue needs no network (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFunctionRuntime(t *testing.T) {
	cases := map[string]struct {
		reason  string
		fn      *blueprints.Resource
		runtime string
		handler string
		diags   []d
	}{
		"python3.12": {reason: "python keeps its handler", fn: fn("api"), runtime: `"python3.12"`, handler: `"main.handler"`, diags: []d{}},
		"python3.11": {
			reason:  "python3.11 is a Lambda runtime as is",
			fn:      fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.Python311 }),
			runtime: `"python3.11"`, handler: `"main.handler"`, diags: []d{},
		},
		"nodejs22": {
			reason:  "nodejs22 gets the .x suffix",
			fn:      fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.NodeJS22; f.Handler = "index.handler" }),
			runtime: `"nodejs22.x"`, handler: `"index.handler"`, diags: []d{},
		},
		"nodejs20": {
			reason: "Lambda no longer creates nodejs20.x functions: the next Node.js runtime is used, with a warning",
			fn: field(fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.NodeJS20; f.Handler = "index.handler" }),
				"runtime", 11),
			runtime: `"nodejs22.x"`, handler: `"index.handler"`,
			diags: []d{{diag.Warning, "resources.api.runtime", "runtime nodejs20 approximated on aws", 11}},
		},
		"nodejs20 overridden": {
			reason: "an override of the runtime is the team's call: no warning",
			fn: override(fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.NodeJS20 }),
				"runtime", "nodejs24.x"),
			runtime: `"nodejs24.x"`, handler: `"main.handler"`, diags: []d{},
		},
		"go default handler": {
			reason:  "go runs as bootstrap on provided.al2023; a handler left at its default is no approximation",
			fn:      fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.Go }),
			runtime: `"provided.al2023"`, handler: `"bootstrap"`, diags: []d{},
		},
		"go written handler": {
			reason:  "a handler written for go is ignored, with a warning on the handler field",
			fn:      field(fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.Go; f.Handler = "main.Handle" }), "handler", 12),
			runtime: `"provided.al2023"`, handler: `"bootstrap"`,
			diags: []d{{diag.Warning, "resources.api.handler", "handler approximated on aws", 12}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.fn))
			a := args(t, module(t, frag, "api"))
			if a["runtime"] != tc.runtime || a["handler"] != tc.handler {
				t.Errorf("%s: runtime %s handler %s, want %s %s", tc.reason, a["runtime"], a["handler"], tc.runtime, tc.handler)
			}
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFunction(t *testing.T) {
	f := fn("process-order", func(f *blueprints.Function) {
		f.MemoryMB = 1024
		f.Timeout = 2 * time.Minute
		f.Concurrency = 5
		f.Env = []blueprints.EnvVar{env("MODE", text("batch ${HOME} %{x}"))}
	})
	frag, ds := lower(t, bp(f))
	if len(ds) != 0 {
		t.Errorf("unexpected diagnostics %v", ds)
	}
	want := map[string]string{
		"source":                         `"./modules/aws/function"`,
		"name":                           `"shop-process-order"`,
		"labels":                         `{ team = "payments" skyform-blueprint = "shop" skyform-resource = "process-order" }`,
		"package_path":                   `"build/process-order.zip"`,
		"package_sha256":                 `"` + sha + `"`,
		"runtime":                        `"python3.12"`,
		"handler":                        `"main.handler"`,
		"memory_size":                    "1024",
		"timeout":                        "120",
		"reserved_concurrent_executions": "5",
		// A literal stays data: neither ${ nor %{ may reach Terraform as an interpolation.
		"environment": `{ MODE = "batch $${HOME} %%{x}" }`,
	}
	if diff := cmp.Diff(want, args(t, module(t, frag, "process_order"))); diff != "" {
		t.Errorf("arguments (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aws/function"}, frag.ModulesUsed); diff != "" {
		t.Errorf("a function without a database needs no network (-want +got):\n%s", diff)
	}
}

func TestFunctionLimits(t *testing.T) {
	big := strings.Repeat("x", 4100)
	cases := map[string]struct {
		reason string
		fn     *blueprints.Resource
		diags  []d
	}{
		"timeout over 15m": {
			reason: "Lambda cuts an invocation at 15m: a longer timeout is an error, not a clamp",
			fn:     field(fn("api", func(f *blueprints.Function) { f.Timeout = 20 * time.Minute }), "timeout", 11),
			diags:  []d{{diag.Error, "resources.api.timeout", "timeout 20m is not supported on aws", 11}},
		},
		"timeout at 15m": {
			reason: "exactly 15m is Lambda's limit",
			fn:     fn("api", func(f *blueprints.Function) { f.Timeout = 15 * time.Minute }),
			diags:  []d{},
		},
		"timeout overridden": {
			reason: "an override of the timeout replaces the check",
			fn:     override(fn("api", func(f *blueprints.Function) { f.Timeout = time.Hour }), "timeout", 900),
			diags:  []d{},
		},
		"reserved env": {
			reason: "Lambda refuses _HANDLER in the configuration",
			fn: field(fn("api", func(f *blueprints.Function) {
				f.Env = []blueprints.EnvVar{env("_HANDLER", text("x"))}
			}), "env._HANDLER", 13),
			diags: []d{{diag.Error, "resources.api.env._HANDLER", `reserved environment variable "_HANDLER"`, 13}},
		},
		"env over 4 KB": {
			reason: "Lambda takes 4 KB of environment in all",
			fn: field(fn("api", func(f *blueprints.Function) {
				f.Env = []blueprints.EnvVar{env("BIG", text(big))}
			}), "env", 14),
			diags: []d{{diag.Error, "resources.api.env", "environment too large for Lambda", 14}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, ds := lower(t, bp(tc.fn))
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFunctionTriggers(t *testing.T) {
	standard := blueprints.Queue{VisibilityTimeout: 5 * time.Minute, Retention: time.Hour, Encryption: true}
	fifo := blueprints.Queue{FIFO: true, VisibilityTimeout: 5 * time.Minute, Retention: time.Hour, Encryption: true}
	trig := func(ts ...blueprints.Trigger) func(*blueprints.Function) {
		return func(f *blueprints.Function) { f.Triggers = ts }
	}
	cases := map[string]struct {
		reason    string
		resources []*blueprints.Resource
		want      map[string]string // arguments of module "worker" to compare; "" means absent
		diags     []d
	}{
		"standard queue": {
			reason:    "the mapping is keyed by queue name and reads the queue's ARN",
			resources: []*blueprints.Resource{queue("orders", standard), fn("worker", trig(blueprints.Trigger{Queue: "orders", BatchSize: 100}))},
			want: map[string]string{
				"queue_triggers":         `{ orders = { arn = module.orders.arn fifo = false batch_size = 100 } }`,
				"function_url_auth_type": "",
			},
			diags: []d{},
		},
		"two queues in any order": {
			reason: "triggers are sorted by queue name so reordering them changes nothing",
			resources: []*blueprints.Resource{queue("a-jobs", standard), queue("b-jobs", fifo),
				fn("worker", trig(blueprints.Trigger{Queue: "b-jobs", BatchSize: 10}, blueprints.Trigger{Queue: "a-jobs", BatchSize: 1}))},
			want: map[string]string{
				"queue_triggers": `{ a-jobs = { arn = module.a_jobs.arn fifo = false batch_size = 1 } b-jobs = { arn = module.b_jobs.arn fifo = true batch_size = 10 } }`,
			},
			diags: []d{},
		},
		"fifo batch clamped": {
			reason: "Lambda reads at most 10 messages from a FIFO queue: the batch is clamped with a warning",
			resources: []*blueprints.Resource{queue("orders", fifo),
				field(fn("worker", trig(blueprints.Trigger{Queue: "orders", BatchSize: 50})), "triggers[0].batch_size", 21)},
			want: map[string]string{
				"queue_triggers": `{ orders = { arn = module.orders.arn fifo = true batch_size = 10 } }`,
			},
			diags: []d{{diag.Warning, "resources.worker.triggers[0].batch_size", "batch_size approximated on aws", 21}},
		},
		"visibility shorter than timeout": {
			reason: "Lambda refuses a mapping when the queue hides messages for less than the function runs",
			resources: []*blueprints.Resource{queue("orders", blueprints.Queue{VisibilityTimeout: 30 * time.Second, Retention: time.Hour}),
				field(fn("worker", func(f *blueprints.Function) {
					f.Timeout = time.Minute
					f.Triggers = []blueprints.Trigger{{Queue: "orders", BatchSize: 10}}
				}), "triggers[0].queue", 22)},
			diags: []d{{diag.Error, "resources.worker.triggers[0].queue", "queue visibility timeout shorter than the function timeout", 22}},
		},
		"visibility equal to timeout": {
			reason:    "equal is enough for Lambda",
			resources: []*blueprints.Resource{queue("orders", blueprints.Queue{VisibilityTimeout: 30 * time.Second, Retention: time.Hour}), fn("worker", trig(blueprints.Trigger{Queue: "orders", BatchSize: 10}))},
			diags:     []d{},
		},
		"cross-cloud queue": {
			reason: "an event source mapping reads only SQS",
			resources: []*blueprints.Resource{on(blueprints.GCP, queue("orders", standard)),
				field(fn("worker", trig(blueprints.Trigger{Queue: "orders", BatchSize: 10})), "triggers[0].queue", 23)},
			want:  map[string]string{"queue_triggers": ""},
			diags: []d{{diag.Error, "resources.worker.triggers[0].queue", "a queue trigger from gcp is not supported on aws", 23}},
		},
		"same queue twice": {
			reason: "Lambda allows one mapping per function and queue",
			resources: []*blueprints.Resource{queue("orders", standard),
				field(fn("worker", trig(blueprints.Trigger{Queue: "orders", BatchSize: 10}, blueprints.Trigger{Queue: "orders", BatchSize: 5})), "triggers[1].queue", 24)},
			diags: []d{{diag.Error, "resources.worker.triggers[1].queue", "queue orders triggers the function twice", 24}},
		},
		"public http": {
			reason:    "a public http trigger is a function URL without authorization",
			resources: []*blueprints.Resource{fn("worker", trig(blueprints.Trigger{HTTP: &blueprints.HTTPTrigger{Public: true}}))},
			want:      map[string]string{"function_url_auth_type": `"NONE"`, "queue_triggers": ""},
			diags:     []d{},
		},
		"schedule": {
			reason:    "a schedule becomes an EventBridge cron expression read in its time zone",
			resources: []*blueprints.Resource{fn("worker", trig(blueprinttest.Schedule(t, "0 14 * * SAT", "Europe/Berlin")))},
			want: map[string]string{
				"schedule_triggers": `{ "1" = { expression = "cron(0 14 ? * SAT *)" timezone = "Europe/Berlin" } }`,
			},
			diags: []d{},
		},
		"schedule on both day fields": {
			reason:    "EventBridge restricts one day field per expression: two schedules and a warning",
			resources: []*blueprints.Resource{field(fn("worker", trig(blueprints.Trigger{HTTP: &blueprints.HTTPTrigger{}}, blueprinttest.Schedule(t, "0 6 1,15 * MON", "UTC"))), "triggers[1].schedule", 25)},
			want: map[string]string{
				"schedule_triggers": `{ "1-dom" = { expression = "cron(0 6 1,15 * ? *)" timezone = "UTC" } "1-dow" = { expression = "cron(0 6 ? * MON *)" timezone = "UTC" } }`,
			},
			diags: []d{{diag.Warning, "resources.worker.triggers[1].schedule", "schedule 0 6 1,15 * MON approximated on aws", 25}},
		},
		"schedule on both day fields, both required": {
			reason:    "days matching a starred day of month and a day of week have no EventBridge expression",
			resources: []*blueprints.Resource{field(fn("worker", trig(blueprinttest.Schedule(t, "0 6 */2 * MON", "UTC"))), "triggers[0].schedule", 26)},
			want:      map[string]string{"schedule_triggers": ""},
			diags:     []d{{diag.Error, "resources.worker.triggers[0].schedule", "schedule 0 6 */2 * MON is not supported on aws", 26}},
		},
		"private http": {
			reason:    "a private http trigger takes only signed (IAM) requests",
			resources: []*blueprints.Resource{fn("worker", trig(blueprints.Trigger{HTTP: &blueprints.HTTPTrigger{}}))},
			want:      map[string]string{"function_url_auth_type": `"AWS_IAM"`},
			diags:     []d{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.resources...))
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
			got := args(t, module(t, frag, "worker"))
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s: %s = %q, want %q", tc.reason, k, got[k], want)
				}
			}
		})
	}
}

func TestFunctionReferences(t *testing.T) {
	pg := blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 20, BackupRetentionDays: 7}
	jobs := blueprints.Queue{VisibilityTimeout: 30 * time.Second, Retention: time.Hour}
	withEnv := func(vs ...blueprints.EnvVar) func(*blueprints.Function) {
		return func(f *blueprints.Function) { f.Env = vs }
	}
	vpc := `{ subnet_ids = module.aws_network.private_subnet_ids security_group_ids = [module.aws_network.app_security_group_id] }`
	cases := map[string]struct {
		reason    string
		resources []*blueprints.Resource
		fn        map[string]string // arguments of module "api"; "" means absent
		network   map[string]string // arguments of module "aws_network"; nil means no network
		diags     []d
	}{
		"database host": {
			reason:    "a function that refers to a database on AWS joins the VPC; no endpoint is needed to reach RDS",
			resources: []*blueprints.Resource{db("db", pg), fn("api", withEnv(env("DB_HOST", ref("db", "host"))))},
			fn: map[string]string{
				"environment": `{ DB_HOST = module.db.host }`,
				"vpc":         vpc, "secret_arns": "", "send_queue_arns": "",
			},
			network: map[string]string{"nat_gateway": "", "interface_endpoints": ""},
			diags:   []d{},
		},
		"database password": {
			reason: "a reference to the password secret grants reading it, through a Secrets Manager endpoint in a VPC without NAT",
			resources: []*blueprints.Resource{db("db", pg), fn("api", withEnv(
				env("DB_URL", text("postgres://"), ref("db", "username"), text("@"), ref("db", "host"), text(":"), ref("db", "port"), text("/"), ref("db", "name")),
				env("DB_SECRET", ref("db", "password_secret"))))},
			fn: map[string]string{
				"environment": `{ DB_URL = "postgres://${module.db.username}@${module.db.host}:${module.db.port}/${module.db.name}" DB_SECRET = module.db.password_secret }`,
				"vpc":         vpc,
				"secret_arns": `{ db = module.db.password_secret }`,
			},
			network: map[string]string{"interface_endpoints": `["secretsmanager"]`},
			diags:   []d{},
		},
		"queue and database": {
			reason: "a referenced queue may be sent to, through an SQS endpoint when in the VPC",
			resources: []*blueprints.Resource{db("db", pg), queue("jobs", jobs), fn("api", withEnv(
				env("DB_HOST", ref("db", "host")), env("JOBS", ref("jobs", "url"))))},
			fn:      map[string]string{"send_queue_arns": `{ jobs = module.jobs.arn }`, "vpc": vpc},
			network: map[string]string{"interface_endpoints": `["sqs"]`},
			diags:   []d{},
		},
		"queue only": {
			reason:    "outside the VPC a function reaches SQS directly: permission but no network",
			resources: []*blueprints.Resource{queue("jobs", jobs), fn("api", withEnv(env("JOBS", ref("jobs", "url"))))},
			fn:        map[string]string{"send_queue_arns": `{ jobs = module.jobs.arn }`, "vpc": ""},
			diags:     []d{},
		},
		"with a cluster": {
			reason: "a cluster brings a NAT gateway, so functions need no endpoints; the database admits the cluster's nodes",
			resources: []*blueprints.Resource{db("db", pg), cluster("k8s", blueprints.Cluster{Kubernetes: "1.34",
				NodePools: []blueprints.NodePool{{Name: "general", Size: blueprints.Medium, Min: 2, Max: 2}}}),
				fn("api", withEnv(env("DB_SECRET", ref("db", "password_secret")), env("OTHER", ref("other", "url")))),
				fn("other")},
			fn:      map[string]string{"secret_arns": `{ db = module.db.password_secret }`, "vpc": vpc},
			network: map[string]string{"nat_gateway": "true", "interface_endpoints": ""},
			diags:   []d{},
		},
		"internet without NAT": {
			reason: "a function in the VPC without NAT cannot call another function's URL: a warning on the first such variable",
			resources: []*blueprints.Resource{db("db", pg),
				field(fn("api", withEnv(env("DB_HOST", ref("db", "host")), env("HOOK", ref("other", "url")))), "env.HOOK", 15),
				fn("other")},
			fn:      map[string]string{"vpc": vpc},
			network: map[string]string{"nat_gateway": ""},
			diags:   []d{{diag.Warning, "resources.api.env.HOOK", "internet access approximated on aws", 15}},
		},
		"database on another cloud": {
			reason: "a database on GCP is private there: warn, and build no AWS network for it",
			resources: []*blueprints.Resource{on(blueprints.GCP, db("db", pg)),
				field(fn("api", withEnv(env("DB_HOST", ref("db", "host")))), "env.DB_HOST", 16)},
			fn:    map[string]string{"vpc": "", "environment": `{ DB_HOST = module.db.host }`},
			diags: []d{{diag.Warning, "resources.api.env.DB_HOST", "network access to database db approximated on aws", 16}},
		},
		"queue on another cloud": {
			reason: "a queue on GCP gets no AWS permission: warn that credentials are the team's to configure",
			resources: []*blueprints.Resource{on(blueprints.GCP, queue("jobs", jobs)),
				field(fn("api", withEnv(env("JOBS", ref("jobs", "url")))), "env.JOBS", 17)},
			fn:    map[string]string{"send_queue_arns": "", "vpc": ""},
			diags: []d{{diag.Warning, "resources.api.env.JOBS", "access to queue jobs approximated on aws", 17}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.resources...))
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
			got := args(t, module(t, frag, "api"))
			for k, want := range tc.fn {
				if got[k] != want {
					t.Errorf("%s: function %s = %q, want %q", tc.reason, k, got[k], want)
				}
			}
			hasNetwork := len(frag.Modules) > 0 && frag.Modules[0].Labels[0] == "aws_network"
			if hasNetwork != (tc.network != nil) {
				t.Fatalf("%s: network module present = %v, want %v", tc.reason, hasNetwork, tc.network != nil)
			}
			if tc.network != nil {
				net := args(t, frag.Modules[0])
				for k, want := range tc.network {
					if net[k] != want {
						t.Errorf("%s: network %s = %q, want %q", tc.reason, k, net[k], want)
					}
				}
			}
		})
	}
}

func TestDatabase(t *testing.T) {
	cases := map[string]struct {
		reason string
		db     *blueprints.Resource
		want   map[string]string
		diags  []d
	}{
		"postgres medium HA": {
			reason: "the version goes through as a major version; HA is Multi-AZ; the database is named after the resource",
			db: db("orders-db", blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 50,
				HighAvailability: true, BackupRetentionDays: 14, DeletionProtection: true}),
			want: map[string]string{
				"source": `"./modules/aws/database"`, "name": `"shop-orders-db"`,
				"labels":         `{ team = "payments" skyform-blueprint = "shop" skyform-resource = "orders-db" }`,
				"engine":         `"postgres"`,
				"engine_version": `"16"`, "instance_class": `"db.m7g.large"`, "allocated_storage": "50",
				"multi_az": "true", "backup_retention_period": "14", "deletion_protection": "true", "db_name": `"orders_db"`,
				"vpc_id": "module.aws_network.vpc_id", "subnet_ids": "module.aws_network.private_subnet_ids",
				"allowed_security_group_ids": `{ functions = module.aws_network.app_security_group_id }`,
			},
			diags: []d{},
		},
		"mysql small": {
			reason: "small is the burstable db.t4g.medium: approximated on the size field",
			db: field(db("my", blueprints.Database{Engine: blueprints.MySQL, Version: "8.4", Size: blueprints.Small, StorageGB: 20,
				BackupRetentionDays: 1}), "size", 31),
			want: map[string]string{"engine": `"mysql"`, "engine_version": `"8.4"`, "instance_class": `"db.t4g.medium"`,
				"multi_az": "false", "deletion_protection": "false", "db_name": `"my"`},
			diags: []d{{diag.Warning, "resources.my.size", "size small approximated on aws", 31}},
		},
		"instance class overridden": {
			reason: "an override of the instance class silences the size warning and wins",
			db: override(db("my", blueprints.Database{Engine: blueprints.MySQL, Version: "8.4", Size: blueprints.Small, StorageGB: 20}),
				"instance_class", "db.m7g.large"),
			want:  map[string]string{"instance_class": `"db.m7g.large"`},
			diags: []d{},
		},
		"large and xlarge": {
			reason: "large is db.m7g.xlarge",
			db:     db("pg", blueprints.Database{Engine: blueprints.Postgres, Version: "17", Size: blueprints.Large, StorageGB: 100}),
			want:   map[string]string{"instance_class": `"db.m7g.xlarge"`},
			diags:  []d{},
		},
		"postgres 13": {
			reason: "a version past RDS standard support is billed extra: a warning on the version",
			db:     field(db("pg", blueprints.Database{Engine: blueprints.Postgres, Version: "13", Size: blueprints.XLarge, StorageGB: 20}), "version", 32),
			want:   map[string]string{"engine_version": `"13"`, "instance_class": `"db.m7g.2xlarge"`},
			diags:  []d{{diag.Warning, "resources.pg.version", "postgres 13 is in RDS Extended Support", 32}},
		},
		"mysql 8.0": {
			reason: "MySQL 8.0 is past RDS standard support too",
			db:     field(db("my", blueprints.Database{Engine: blueprints.MySQL, Version: "8.0", Size: blueprints.Medium, StorageGB: 20}), "version", 33),
			want:   map[string]string{"engine_version": `"8.0"`},
			diags:  []d{{diag.Warning, "resources.my.version", "mysql 8.0 is in RDS Extended Support", 33}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.db))
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
			got := args(t, module(t, frag, tc.db.ID()))
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s: %s = %q, want %q", tc.reason, k, got[k], want)
				}
			}
			if diff := cmp.Diff([]string{"aws/network", "aws/database"}, frag.ModulesUsed); diff != "" {
				t.Errorf("%s: ModulesUsed (-want +got):\n%s", tc.reason, diff)
			}
			if net := args(t, frag.Modules[0]); net["nat_gateway"] != "" {
				t.Errorf("%s: a database alone needs no NAT gateway", tc.reason)
			}
		})
	}
}

func TestCluster(t *testing.T) {
	pools := func(ps ...blueprints.NodePool) []blueprints.NodePool { return ps }
	cases := map[string]struct {
		reason  string
		cluster *blueprints.Resource
		want    map[string]string
		diags   []d
	}{
		"private with spot": {
			reason: "private_endpoint drops the public endpoint; spot pools are SPOT over several same-shape types",
			cluster: cluster("k8s", blueprints.Cluster{Kubernetes: "1.34", PrivateEndpoint: true, NodePools: pools(
				blueprints.NodePool{Name: "batch", Size: blueprints.Large, Min: 0, Max: 10, Spot: true},
				blueprints.NodePool{Name: "general", Size: blueprints.Medium, Min: 3, Max: 3})}),
			want: map[string]string{
				"source": `"./modules/aws/cluster"`, "name": `"shop-k8s"`,
				"labels":                  `{ team = "payments" skyform-blueprint = "shop" skyform-resource = "k8s" }`,
				"kubernetes_version":      `"1.34"`,
				"endpoint_private_access": "true", "endpoint_public_access": "false",
				"subnet_ids": "module.aws_network.private_subnet_ids",
				"node_pools": `{ batch = { instance_types = ["m7i.2xlarge", "m6i.2xlarge", "m7a.2xlarge", "m6a.2xlarge"] capacity_type = "SPOT" min_size = 0 max_size = 10 } ` +
					`general = { instance_types = ["m7i.xlarge"] capacity_type = "ON_DEMAND" min_size = 3 max_size = 3 } }`,
			},
			diags: []d{{diag.Warning, "resources.k8s.node_pools", "node pool autoscaling approximated on aws", 10}},
		},
		"public small and xlarge": {
			reason: "a public cluster keeps both endpoints; fixed-size pools need no autoscaler",
			cluster: cluster("k8s", blueprints.Cluster{Kubernetes: "1.35", NodePools: pools(
				blueprints.NodePool{Name: "default", Size: blueprints.Small, Min: 1, Max: 1},
				blueprints.NodePool{Name: "huge", Size: blueprints.XLarge, Min: 2, Max: 2})}),
			want: map[string]string{
				"endpoint_public_access": "true",
				"node_pools": `{ default = { instance_types = ["m7i.large"] capacity_type = "ON_DEMAND" min_size = 1 max_size = 1 } ` +
					`huge = { instance_types = ["m7i.4xlarge"] capacity_type = "ON_DEMAND" min_size = 2 max_size = 2 } }`,
			},
			diags: []d{},
		},
		"1.30": {
			reason: "EKS no longer creates 1.30 clusters: 1.32 is used, which is itself in extended support",
			cluster: field(cluster("k8s", blueprints.Cluster{Kubernetes: "1.30", NodePools: pools(
				blueprints.NodePool{Name: "default", Size: blueprints.Small, Min: 1, Max: 1})}), "kubernetes", 41),
			want: map[string]string{"kubernetes_version": `"1.32"`},
			diags: []d{
				{diag.Warning, "resources.k8s.kubernetes", "Kubernetes 1.30 approximated on aws", 41},
				{diag.Warning, "resources.k8s.kubernetes", "Kubernetes 1.32 is in EKS extended support", 41},
			},
		},
		"1.33": {
			reason: "1.33 is in extended support: a cost warning, the version unchanged",
			cluster: field(cluster("k8s", blueprints.Cluster{Kubernetes: "1.33", NodePools: pools(
				blueprints.NodePool{Name: "default", Size: blueprints.Small, Min: 1, Max: 1})}), "kubernetes", 42),
			want:  map[string]string{"kubernetes_version": `"1.33"`},
			diags: []d{{diag.Warning, "resources.k8s.kubernetes", "Kubernetes 1.33 is in EKS extended support", 42}},
		},
		"version overridden": {
			reason: "an override of the version is the team's call",
			cluster: override(cluster("k8s", blueprints.Cluster{Kubernetes: "1.30", NodePools: pools(
				blueprints.NodePool{Name: "default", Size: blueprints.Small, Min: 1, Max: 1})}), "kubernetes_version", "1.35"),
			want:  map[string]string{"kubernetes_version": `"1.35"`},
			diags: []d{},
		},
		"over the node quota": {
			reason: "EKS allows 450 nodes per managed node group unless the quota is raised",
			cluster: field(cluster("k8s", blueprints.Cluster{Kubernetes: "1.35", NodePools: pools(
				blueprints.NodePool{Name: "wide", Size: blueprints.Small, Min: 500, Max: 500})}), "node_pools.wide.max", 43),
			want:  map[string]string{},
			diags: []d{{diag.Warning, "resources.k8s.node_pools.wide.max", "node pool wide exceeds the EKS default quota", 43}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.cluster))
			if diff := cmp.Diff(tc.diags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
			got := args(t, module(t, frag, "k8s"))
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s: %s = %q, want %q", tc.reason, k, got[k], want)
				}
			}
			net := args(t, module(t, frag, "aws_network"))
			if net["nat_gateway"] != "true" {
				t.Errorf("%s: a cluster needs the NAT gateway, got %q", tc.reason, net["nat_gateway"])
			}
		})
	}
}

func TestFragment(t *testing.T) {
	pg := blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 20}
	b := bp(
		queue("orders", blueprints.Queue{VisibilityTimeout: time.Minute, Retention: time.Hour}),
		db("orders-db", pg),
		cluster("platform", blueprints.Cluster{Kubernetes: "1.34", NodePools: []blueprints.NodePool{{Name: "default", Size: blueprints.Medium, Min: 1, Max: 1}}}),
		fn("worker", func(f *blueprints.Function) {
			f.Triggers = []blueprints.Trigger{{Queue: "orders", BatchSize: 10}}
			f.Env = []blueprints.EnvVar{env("DB_HOST", ref("orders-db", "host"))}
		}),
		on(blueprints.GCP, queue("elsewhere", blueprints.Queue{Retention: time.Hour})),
	)
	frag, ds := lower(t, b)
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics %v", ds)
	}
	var labels []string
	for _, m := range frag.Modules {
		labels = append(labels, m.Labels[0])
	}
	if diff := cmp.Diff([]string{"aws_network", "orders", "orders_db", "platform", "worker"}, labels); diff != "" {
		t.Errorf("modules: the network first, then the AWS resources in name order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aws/network", "aws/queue", "aws/function", "aws/database", "aws/cluster"}, frag.ModulesUsed); diff != "" {
		t.Errorf("ModulesUsed (-want +got):\n%s", diff)
	}
	if len(frag.Variables) != 0 {
		t.Errorf("AWS needs no root variables, got %v", frag.Variables)
	}
	db := args(t, module(t, frag, "orders_db"))
	if got, want := db["allowed_security_group_ids"], `{ functions = module.aws_network.app_security_group_id }`; got != want {
		t.Errorf("database admits %s, want %s", got, want)
	}
	// EKS nodes come in through the VPC range: one rule, however many clusters.
	if got, want := db["allowed_cidr_blocks"], `{ eks-nodes = module.aws_network.cidr_block }`; got != want {
		t.Errorf("database admits %s, want %s", got, want)
	}
	network := args(t, frag.Modules[0])
	want := map[string]string{
		"source": `"./modules/aws/network"`, "name": `"shop"`,
		"labels":      `{ team = "payments" skyform-blueprint = "shop" }`,
		"nat_gateway": "true",
	}
	if diff := cmp.Diff(want, network); diff != "" {
		t.Errorf("network (-want +got):\n%s", diff)
	}

	// The whole root module renders, and twice the same.
	render := func(f *providers.Fragment) string {
		cfg := &tfir.Config{}
		cfg.File("providers").Add(f.Providers...)
		cfg.File("main").Add(f.Modules...)
		files, err := cfg.HCL()
		if err != nil {
			t.Fatalf("cannot render: %v", err)
		}
		return string(files["providers.tf"]) + string(files["main.tf"])
	}
	first := render(frag)
	again, _ := lower(t, b)
	if second := render(again); first != second {
		t.Errorf("lowering is not deterministic:\n%s\n---\n%s", first, second)
	}
	for _, w := range []string{`provider "aws" {`, `region = "eu-west-1"`, `module "worker" {`, `source = "./modules/aws/function"`} {
		if !strings.Contains(first, w) {
			t.Errorf("rendered root module lacks %q:\n%s", w, first)
		}
	}
}

func TestOverrides(t *testing.T) {
	r := db("pg", blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 20})
	r.Overrides = map[blueprints.Cloud]map[string]any{
		blueprints.AWS: {"engine_version": "16.4", "max_allocated_storage": 200, "performance_insights_enabled": true},
		blueprints.GCP: {"tier": "db-custom-2-8192"},
	}
	frag, _ := lower(t, bp(r))
	got := args(t, module(t, frag, "pg"))
	want := map[string]string{"engine_version": `"16.4"`, "max_allocated_storage": "200", "performance_insights_enabled": "true", "tier": ""}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}

// TestNoSecrets guards the rule that no password reaches the output: the
// only password-like thing a database module call carries is where the
// secret lives.
func TestNoSecrets(t *testing.T) {
	frag, _ := lower(t, bp(db("pg", blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 20})))
	for k := range args(t, module(t, frag, "pg")) {
		if strings.Contains(k, "password") {
			t.Errorf("database module call sets %s", k)
		}
	}
}

func BenchmarkLower(b *testing.B) {
	var rs []*blueprints.Resource
	for i := 0; i < 2500; i++ {
		q := queue(fmt.Sprintf("q%d", i), blueprints.Queue{VisibilityTimeout: time.Minute, Retention: time.Hour})
		d := db(fmt.Sprintf("d%d", i), blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 20})
		f := fn(fmt.Sprintf("f%d", i), func(f *blueprints.Function) {
			f.Triggers = []blueprints.Trigger{{Queue: q.Name, BatchSize: 10}}
			f.Env = []blueprints.EnvVar{env("DB", ref(d.Name, "host"))}
		})
		rs = append(rs, q, d, f)
	}
	bl := bp(rs...)
	in := &providers.Input{Blueprint: bl, Resources: bl.Placed(blueprints.AWS), Packages: map[string]providers.Package{}}
	for _, r := range bl.Resources {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip", SHA256: sha}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		New().Lower(in)
	}
}

package gcp

import (
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
	return conformance.Blueprint(blueprints.GCP, rs...)
}

func override(r *blueprints.Resource, key string, v any) *blueprints.Resource {
	return conformance.Override(r, blueprints.GCP, key, v)
}

// queue is a queue with the blueprint's defaults, changed by edits.
func queue(name string, edits ...func(*blueprints.Queue)) *blueprints.Resource {
	q := &blueprints.Queue{VisibilityTimeout: 30 * time.Second, Retention: 4 * 24 * time.Hour, Encryption: true}
	for _, e := range edits {
		e(q)
	}
	return &blueprints.Resource{Name: name, Kind: blueprints.KindQueue, Queue: q}
}

// fn is a function with the blueprint's defaults, changed by edits.
func fn(name string, edits ...func(*blueprints.Function)) *blueprints.Resource {
	f := &blueprints.Function{Runtime: blueprints.Python312, Source: "fn", Handler: "main.handler", MemoryMB: 256, Timeout: 30 * time.Second}
	for _, e := range edits {
		e(f)
	}
	return &blueprints.Resource{Name: name, Kind: blueprints.KindFunction, Function: f}
}

// db is a database with the blueprint's defaults, changed by edits.
func db(name string, edits ...func(*blueprints.Database)) *blueprints.Resource {
	d := &blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Small, StorageGB: 20, BackupRetentionDays: 7, DeletionProtection: true}
	for _, e := range edits {
		e(d)
	}
	return &blueprints.Resource{Name: name, Kind: blueprints.KindDatabase, Database: d}
}

const hexSHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func lower(t *testing.T, b *blueprints.Blueprint) (*providers.Fragment, diag.Diagnostics) {
	t.Helper()
	in := &providers.Input{Blueprint: b, Resources: b.Placed(blueprints.GCP), Packages: map[string]providers.Package{}}
	for _, r := range b.Resources {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip", SHA256: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=", SHA256Hex: hexSHA}
		}
	}
	return New().Lower(in)
}

// module returns the module block with that label, or nil.
func module(frag *providers.Fragment, label string) *tfir.Block {
	for _, m := range frag.Modules {
		if m.Labels[0] == label {
			return m
		}
	}
	return nil
}

// args renders each argument of a module call as one line of HCL, keyed by
// name; an argument set twice is a bug.
func args(t *testing.T, b *tfir.Block) map[string]string {
	t.Helper()
	out := map[string]string{}
	if b == nil {
		return out
	}
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

// pick keeps the named keys of m (missing ones stay missing).
func pick(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// d is a diagnostic as the tests compare it.
type d struct {
	Severity diag.Severity
	Path     string
	Summary  string
	Line     int
}

func diags(ds diag.Diagnostics) []d {
	var out []d
	for _, x := range ds {
		out = append(out, d{x.Severity, x.Path, x.Summary, x.Range.Start.Line})
	}
	return out
}

func warn(path, summary string, line int) d { return d{diag.Warning, path, summary, line} }
func fail(path, summary string, line int) d { return d{diag.Error, path, summary, line} }

// TestConformance runs the suite every cloud passes.
func TestConformance(t *testing.T) { conformance.Run(t, New()) }

func TestProvider(t *testing.T) {
	c := New()
	if c.Name() != blueprints.GCP {
		t.Errorf("Name() = %q", c.Name())
	}
	want := providers.Provider{LocalName: "google", Source: "hashicorp/google", Version: "8.0.0"}
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
		"database/small":  {"db-custom-2-4096", 2, 4, false},
		"database/medium": {"db-custom-2-8192", 2, 8, false},
		"database/large":  {"db-custom-4-16384", 4, 16, false},
		"database/xlarge": {"db-custom-8-32768", 8, 32, false},
		"cluster/small":   {"e2-standard-2", 2, 8, false},
		"cluster/medium":  {"e2-standard-4", 4, 16, false},
		"cluster/large":   {"e2-standard-8", 8, 32, false},
		"cluster/xlarge":  {"e2-standard-16", 16, 64, false},
	}
	got := map[string]row{}
	for _, s := range New().Sizes() {
		got[string(s.Kind)+"/"+string(s.Size)] = row{s.Type, s.VCPU, s.MemoryGiB, s.Note != ""}
		if strings.HasPrefix(s.Type, "db-custom-") {
			// Cloud SQL custom tiers: 1 or an even number of vCPUs, 0.9 to
			// 6.5 GiB per vCPU, a multiple of 256 MiB, at least 3840 MiB.
			mib := s.MemoryGiB * 1024
			perCPU := s.MemoryGiB / float64(s.VCPU)
			if (s.VCPU != 1 && s.VCPU%2 != 0) || perCPU < 0.9 || perCPU > 6.5 || int(mib)%256 != 0 || mib < 3840 {
				t.Errorf("%s is not a valid Cloud SQL custom tier", s.Type)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sizes() (-want +got):\n%s", diff)
	}
}

func TestFragment(t *testing.T) {
	cases := map[string]struct {
		reason    string
		bp        *blueprints.Blueprint
		wantMods  []string
		wantUsed  []string
		wantProv  map[string]string
		wantDiags []d
	}{
		"queue only": {
			reason:   "a queue needs no network; the provider takes the project variable and the neutral region",
			bp:       bp(queue("jobs")),
			wantMods: []string{"jobs"},
			wantUsed: []string{"gcp/queue"},
			wantProv: map[string]string{"project": "var.gcp_project", "region": `"europe-west1"`},
		},
		"database and cluster": {
			reason:   "the implicit network comes first; modules used are listed once each, in kind order",
			bp:       bp(db("orders-db"), cluster("k8s", blueprints.Cluster{Kubernetes: "1.31", NodePools: []blueprints.NodePool{{Name: "general", Size: blueprints.Medium, Min: 1, Max: 3}}}), db("other-db")),
			wantMods: []string{"gcp_network", "k8s", "orders_db", "other_db"},
			wantUsed: []string{"gcp/network", "gcp/cluster", "gcp/database"},
			wantProv: map[string]string{"project": "var.gcp_project", "region": `"europe-west1"`},
			wantDiags: []d{
				warn("resources.orders-db.backup_retention_days", "backup retention of 7 days approximated on gcp", 10),
				warn("resources.orders-db", "administrator password approximated on gcp", 10),
				warn("resources.other-db.backup_retention_days", "backup retention of 7 days approximated on gcp", 30),
				warn("resources.other-db", "administrator password approximated on gcp", 30),
			},
		},
		"function reaching a database on another cloud": {
			reason: "only GCP resources use the GCP network, so none is created",
			bp: bp(on(blueprints.AWS, db("orders-db")), fn("api", func(f *blueprints.Function) {
				f.Env = []blueprints.EnvVar{env("DB_HOST", ref("orders-db", "host"))}
			})),
			wantMods: []string{"api"},
			wantUsed: []string{"gcp/function"},
			wantProv: map[string]string{"project": "var.gcp_project", "region": `"europe-west1"`},
			wantDiags: []d{
				warn("resources.api.env.DB_HOST", "reachability of database orders-db approximated on gcp", 20),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, tc.bp)
			var mods []string
			for _, m := range frag.Modules {
				mods = append(mods, m.Labels[0])
			}
			if diff := cmp.Diff(tc.wantMods, mods); diff != "" {
				t.Errorf("%s: modules (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantUsed, frag.ModulesUsed); diff != "" {
				t.Errorf("%s: ModulesUsed (-want +got):\n%s", tc.reason, diff)
			}
			if len(frag.Providers) != 1 || frag.Providers[0].Type != "provider" || frag.Providers[0].Labels[0] != "google" {
				t.Fatalf("want one provider \"google\" block, got %v", frag.Providers)
			}
			if diff := cmp.Diff(tc.wantProv, args(t, frag.Providers[0])); diff != "" {
				t.Errorf("%s: provider (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantDiags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestProjectVariable(t *testing.T) {
	frag, _ := lower(t, bp(queue("jobs")))
	cfg := &tfir.Config{}
	cfg.File("variables").Add(frag.Variables...)
	files, err := cfg.HCL()
	if err != nil {
		t.Fatal(err)
	}
	want := `variable "gcp_project" {
  type        = string
  description = "Google Cloud project to deploy into, by id (e.g. my-project-123)."

  validation {
    condition     = can(regex("^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.gcp_project))
    error_message = "A project id is 6 to 30 lower-case letters, digits or dashes, starts with a letter and does not end with a dash."
  }
}
`
	if diff := cmp.Diff(want, string(files["variables.tf"])); diff != "" {
		t.Errorf("variables.tf (-want +got):\n%s", diff)
	}
}

func TestRegion(t *testing.T) {
	cases := map[string]struct {
		reason     string
		region     string
		wantRegion string
		wantDiags  []d
	}{
		"neutral":      {"a neutral key maps to its GCP twin", "europe-central", `"europe-west3"`, nil},
		"gcp native":   {"a GCP region is used as written", "us-central1", `"us-central1"`, nil},
		"aws neutral":  {"an AWS region in the neutral table maps with a warning", "eu-west-1", `"europe-west1"`, []d{warn("region", "region approximated on gcp", 2)}},
		"aws only":     {"an AWS region outside the table has no GCP twin", "us-east-2", `""`, []d{fail("region", "region has no equivalent on gcp", 2)}},
		"gcp in table": {"a GCP region of the neutral table is exact", "asia-northeast1", `"asia-northeast1"`, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := bp(queue("jobs"))
			r, ok := blueprints.LookupRegion(tc.region)
			if !ok {
				t.Fatalf("unknown region %s", tc.region)
			}
			r.Range = at(2)
			b.Region = r
			frag, ds := lower(t, b)
			if got := args(t, frag.Providers[0])["region"]; got != tc.wantRegion {
				t.Errorf("%s: region = %s, want %s", tc.reason, got, tc.wantRegion)
			}
			if diff := cmp.Diff(tc.wantDiags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestQueue(t *testing.T) {
	keys := []string{"fifo", "ack_deadline_seconds", "message_retention_seconds", "topic_message_retention_seconds", "max_delivery_attempts", "subscription"}
	cases := map[string]struct {
		reason    string
		rs        []*blueprints.Resource
		want      map[string]string
		wantDiags []d
	}{
		"defaults": {
			reason: "a standard queue keeps its 30s visibility and 4d retention exactly",
			rs:     []*blueprints.Resource{queue("orders")},
			want:   map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "345600"},
		},
		"fifo with dead letter": {
			reason: "ordering is approximated; 5 deliveries is within Pub/Sub's range",
			rs: []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) {
				q.FIFO = true
				q.DeadLetter = &blueprints.DeadLetter{MaxDeliveries: 5}
			}), "ordering", 11)},
			want:      map[string]string{"fifo": "true", "ack_deadline_seconds": "30", "message_retention_seconds": "345600", "max_delivery_attempts": "5"},
			wantDiags: []d{warn("resources.orders.ordering", "fifo ordering approximated on gcp", 11)},
		},
		"zero visibility timeout": {
			reason:    "acknowledgement deadlines start at 10s",
			rs:        []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.VisibilityTimeout = 0 }), "visibility_timeout", 12)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "10", "message_retention_seconds": "345600"},
			wantDiags: []d{warn("resources.orders.visibility_timeout", "visibility timeout 0s approximated on gcp", 12)},
		},
		"long visibility timeout": {
			reason:    "acknowledgement deadlines end at 10m",
			rs:        []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.VisibilityTimeout = 12 * time.Hour }), "visibility_timeout", 12)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "600", "message_retention_seconds": "345600"},
			wantDiags: []d{warn("resources.orders.visibility_timeout", "visibility timeout 12h approximated on gcp", 12)},
		},
		"short retention": {
			reason:    "a subscription keeps messages at least 10m",
			rs:        []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.Retention = time.Minute }), "retention", 13)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "600"},
			wantDiags: []d{warn("resources.orders.retention", "retention 1m approximated on gcp", 13)},
		},
		"long retention": {
			reason:    "a subscription keeps messages at most 7d; the topic keeps them the full 14d for seeking",
			rs:        []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.Retention = 14 * 24 * time.Hour }), "retention", 13)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "604800", "topic_message_retention_seconds": "1209600"},
			wantDiags: []d{warn("resources.orders.retention", "retention 2w approximated on gcp", 13)},
		},
		"one delivery": {
			reason: "dead-letter policies start at 5 attempts",
			rs: []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.DeadLetter = &blueprints.DeadLetter{MaxDeliveries: 1} }),
				"dead_letter.max_deliveries", 14)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "345600", "max_delivery_attempts": "5"},
			wantDiags: []d{warn("resources.orders.dead_letter.max_deliveries", "dead letter after 1 deliveries approximated on gcp", 14)},
		},
		"many deliveries": {
			reason: "dead-letter policies end at 100 attempts",
			rs: []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.DeadLetter = &blueprints.DeadLetter{MaxDeliveries: 1000} }),
				"dead_letter", 14)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "345600", "max_delivery_attempts": "100"},
			wantDiags: []d{warn("resources.orders.dead_letter.max_deliveries", "dead letter after 1000 deliveries approximated on gcp", 14)},
		},
		"no encryption": {
			reason:    "Pub/Sub cannot store messages unencrypted",
			rs:        []*blueprints.Resource{field(queue("orders", func(q *blueprints.Queue) { q.Encryption = false }), "encryption", 15)},
			want:      map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "345600"},
			wantDiags: []d{warn("resources.orders.encryption", "encryption: false approximated on gcp", 15)},
		},
		"consumed by a function": {
			reason: "the function's push subscription is the only consumer, so the pull subscription is not created",
			rs: []*blueprints.Resource{queue("orders"), fn("worker", func(f *blueprints.Function) {
				f.Triggers = []blueprints.Trigger{{Queue: "orders", BatchSize: 1}}
			})},
			want: map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "345600", "subscription": "false"},
		},
		"consumed by a function on another cloud": {
			reason: "only GCP functions consume through push subscriptions; the other cloud reports the trigger",
			rs: []*blueprints.Resource{queue("orders"), on(blueprints.AWS, fn("worker", func(f *blueprints.Function) {
				f.Triggers = []blueprints.Trigger{{Queue: "orders", BatchSize: 1}}
			}))},
			want: map[string]string{"fifo": "false", "ack_deadline_seconds": "30", "message_retention_seconds": "345600"},
		},
		"overridden deadline": {
			reason: "an override replaces the argument and silences the warning about the value it replaces",
			rs: []*blueprints.Resource{override(field(queue("orders", func(q *blueprints.Queue) { q.VisibilityTimeout = time.Hour }),
				"visibility_timeout", 12), "ack_deadline_seconds", 300)},
			want: map[string]string{"fifo": "false", "ack_deadline_seconds": "300", "message_retention_seconds": "345600"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.rs...))
			if diff := cmp.Diff(tc.want, pick(args(t, module(frag, "orders")), keys...)); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantDiags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFunction(t *testing.T) {
	withTrigger := func(ts ...blueprints.Trigger) func(*blueprints.Function) {
		return func(f *blueprints.Function) { f.Triggers = ts }
	}
	cases := map[string]struct {
		reason    string
		rs        []*blueprints.Resource
		keys      []string
		want      map[string]string
		wantDiags []d
	}{
		"python defaults": {
			reason: "main.handler is main.py's handler; the zip is uploaded under its hash",
			rs:     []*blueprints.Resource{fn("api")},
			keys:   []string{"region", "runtime", "entry_point", "memory", "timeout_seconds", "source_zip", "source_sha256", "max_instances", "http_trigger"},
			want: map[string]string{"region": `"europe-west1"`, "runtime": `"python312"`, "entry_point": `"handler"`, "memory": `"256Mi"`,
				"timeout_seconds": "30", "source_zip": `"build/api.zip"`, "source_sha256": `"` + hexSHA + `"`},
		},
		"python outside main.py": {
			reason:    "Cloud Run functions load Python functions from main.py only",
			rs:        []*blueprints.Resource{field(fn("api", func(f *blueprints.Function) { f.Handler = "app.process" }), "handler", 11)},
			keys:      []string{"runtime", "entry_point"},
			want:      map[string]string{"runtime": `"python312"`, "entry_point": `"process"`},
			wantDiags: []d{warn("resources.api.handler", "handler app.process approximated on gcp", 11)},
		},
		"schedule": {
			reason: "Cloud Scheduler reads standard cron in the zone; it waits as long as the function may run",
			rs:     []*blueprints.Resource{fn("api", withTrigger(blueprinttest.Schedule(t, "0 14 * * SAT", "Europe/Berlin"), blueprinttest.Schedule(t, "*/5 9-17 1 JAN,JUL MON-FRI", "UTC")), func(f *blueprints.Function) { f.Timeout = 5 * time.Second })},
			keys:   []string{"schedule_triggers"},
			want:   map[string]string{"schedule_triggers": `{ "1" = { schedule = "0 14 * * 6" time_zone = "Europe/Berlin" attempt_deadline = "15s" } "2" = { schedule = "*/5 9-17 1 1,7 1-5" time_zone = "UTC" attempt_deadline = "15s" } }`},
		},
		"long scheduled run": {
			reason:    "Cloud Scheduler waits at most 30 minutes for an answer",
			rs:        []*blueprints.Resource{field(fn("api", withTrigger(blueprinttest.Schedule(t, "@daily", "UTC")), func(f *blueprints.Function) { f.Timeout = time.Hour }), "triggers[0].schedule", 12)},
			keys:      []string{"schedule_triggers"},
			want:      map[string]string{"schedule_triggers": `{ "1" = { schedule = "0 0 * * *" time_zone = "UTC" attempt_deadline = "1800s" } }`},
			wantDiags: []d{warn("resources.api.triggers[0].schedule", "schedule @daily approximated on gcp", 12)},
		},
		"python 3.11": {
			reason: "each neutral runtime has its own id",
			rs:     []*blueprints.Resource{fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.Python311 })},
			keys:   []string{"runtime"},
			want:   map[string]string{"runtime": `"python311"`},
		},
		"node index": {
			reason: "index.js is the Node.js module loaded without a package.json main",
			rs: []*blueprints.Resource{fn("api", func(f *blueprints.Function) {
				f.Runtime, f.Handler = blueprints.NodeJS22, "index.handler"
			})},
			keys: []string{"runtime", "entry_point"},
			want: map[string]string{"runtime": `"nodejs22"`, "entry_point": `"handler"`},
		},
		"node other module": {
			reason: "another module must be package.json's main",
			rs: []*blueprints.Resource{field(fn("api", func(f *blueprints.Function) {
				f.Runtime, f.Handler = blueprints.NodeJS20, "src/app.run"
			}), "handler", 11)},
			keys:      []string{"runtime", "entry_point"},
			want:      map[string]string{"runtime": `"nodejs20"`, "entry_point": `"run"`},
			wantDiags: []d{warn("resources.api.handler", "handler src/app.run approximated on gcp", 11)},
		},
		"go": {
			reason:    "Go is built from source with the Functions Framework, not run as an executable",
			rs:        []*blueprints.Resource{field(fn("api", func(f *blueprints.Function) { f.Runtime = blueprints.Go }), "runtime", 11)},
			keys:      []string{"runtime", "entry_point"},
			want:      map[string]string{"runtime": `"go125"`, "entry_point": `"handler"`},
			wantDiags: []d{warn("resources.api.runtime", "runtime go approximated on gcp", 11)},
		},
		"memory between tiers": {
			reason:    "memory rounds up to the next tier",
			rs:        []*blueprints.Resource{field(fn("api", func(f *blueprints.Function) { f.MemoryMB = 300 }), "memory_mb", 11)},
			keys:      []string{"memory"},
			want:      map[string]string{"memory": `"512Mi"`},
			wantDiags: []d{warn("resources.api.memory_mb", "memory 300 MB approximated on gcp", 11)},
		},
		"largest memory": {
			reason:    "10 GiB becomes the 16 GiB tier",
			rs:        []*blueprints.Resource{fn("api", func(f *blueprints.Function) { f.MemoryMB = 10240 })},
			keys:      []string{"memory"},
			want:      map[string]string{"memory": `"16Gi"`},
			wantDiags: []d{warn("resources.api.memory_mb", "memory 10240 MB approximated on gcp", 10)},
		},
		"exact tier": {
			reason: "a tier size is lossless",
			rs:     []*blueprints.Resource{fn("api", func(f *blueprints.Function) { f.MemoryMB = 2048 })},
			keys:   []string{"memory"},
			want:   map[string]string{"memory": `"2Gi"`},
		},
		"concurrency and long timeout": {
			reason: "one request per instance makes the instance limit the concurrency; HTTP functions run up to an hour",
			rs: []*blueprints.Resource{fn("api", func(f *blueprints.Function) {
				f.Concurrency, f.Timeout = 20, time.Hour
			})},
			keys: []string{"max_instances", "timeout_seconds"},
			want: map[string]string{"max_instances": "20", "timeout_seconds": "3600"},
		},
		"public http": {
			reason: "a public http trigger opens the URL to everyone",
			rs:     []*blueprints.Resource{fn("api", withTrigger(blueprints.Trigger{HTTP: &blueprints.HTTPTrigger{Public: true}}))},
			keys:   []string{"http_trigger", "public"},
			want:   map[string]string{"http_trigger": "true", "public": "true"},
		},
		"private http": {
			reason: "a private http trigger needs IAM to call",
			rs:     []*blueprints.Resource{fn("api", withTrigger(blueprints.Trigger{HTTP: &blueprints.HTTPTrigger{}}))},
			keys:   []string{"http_trigger", "public"},
			want:   map[string]string{"http_trigger": "true"},
		},
		"queue trigger": {
			reason: "the push subscription carries the queue's clamped delivery settings and dead-letter topic; batches become single messages",
			rs: []*blueprints.Resource{
				queue("orders", func(q *blueprints.Queue) {
					q.FIFO, q.VisibilityTimeout, q.Retention = true, 2*time.Minute, 10*24*time.Hour
					q.DeadLetter = &blueprints.DeadLetter{MaxDeliveries: 3}
				}),
				field(fn("worker", withTrigger(blueprints.Trigger{Queue: "orders", BatchSize: 10})), "triggers[0].batch_size", 21),
			},
			keys: []string{"queue_triggers", "http_trigger"},
			want: map[string]string{"queue_triggers": "{ orders = { topic_id = module.orders.id fifo = true ack_deadline_seconds = 120 " +
				"message_retention_seconds = 604800 dead_letter = true dead_letter_topic_id = module.orders.dead_letter_topic_id max_delivery_attempts = 5 } }"},
			wantDiags: []d{
				warn("resources.orders.retention", "retention 1w3d approximated on gcp", 10),
				warn("resources.orders.ordering", "fifo ordering approximated on gcp", 10),
				warn("resources.orders.dead_letter.max_deliveries", "dead letter after 3 deliveries approximated on gcp", 10),
				warn("resources.worker.triggers[0].batch_size", "batch size 10 approximated on gcp", 21),
			},
		},
		"queue trigger without dead letter": {
			reason: "no dead-letter topic is an empty id, known at plan time through the dead_letter flag",
			rs:     []*blueprints.Resource{queue("jobs"), fn("worker", withTrigger(blueprints.Trigger{Queue: "jobs", BatchSize: 1}))},
			keys:   []string{"queue_triggers"},
			want: map[string]string{"queue_triggers": "{ jobs = { topic_id = module.jobs.id fifo = false ack_deadline_seconds = 30 " +
				`message_retention_seconds = 345600 dead_letter = false dead_letter_topic_id = "" max_delivery_attempts = 0 } }`},
		},
		"timeout beyond the deadline": {
			reason: "Pub/Sub redelivers a push that outlives the acknowledgement deadline",
			rs: []*blueprints.Resource{queue("jobs"), field(fn("worker", func(f *blueprints.Function) {
				f.Timeout = 5 * time.Minute
				f.Triggers = []blueprints.Trigger{{Queue: "jobs", BatchSize: 1}}
			}), "timeout", 22)},
			keys:      []string{"timeout_seconds"},
			want:      map[string]string{"timeout_seconds": "300"},
			wantDiags: []d{warn("resources.worker.timeout", "timeout 5m approximated on gcp", 22)},
		},
		"two functions on one queue": {
			reason: "each push subscription receives every message",
			rs: []*blueprints.Resource{
				queue("jobs"),
				fn("a-worker", withTrigger(blueprints.Trigger{Queue: "jobs", BatchSize: 1})),
				fn("worker", withTrigger(blueprints.Trigger{Queue: "jobs", BatchSize: 1})),
			},
			keys: []string{"http_trigger"},
			want: map[string]string{},
			wantDiags: []d{
				warn("resources.a-worker.triggers[0].queue", "queue shared by functions approximated on gcp", 20),
				warn("resources.worker.triggers[0].queue", "queue shared by functions approximated on gcp", 30),
			},
		},
		"cross-cloud queue": {
			reason:    "a Pub/Sub push subscription cannot consume another cloud's queue",
			rs:        []*blueprints.Resource{on(blueprints.AWS, queue("jobs")), field(fn("worker", withTrigger(blueprints.Trigger{Queue: "jobs", BatchSize: 1})), "triggers[0].queue", 21)},
			keys:      []string{"queue_triggers"},
			want:      map[string]string{},
			wantDiags: []d{fail("resources.worker.triggers[0].queue", "cross-cloud queue trigger is not supported on gcp", 21)},
		},
		"repeated queue trigger": {
			reason: "one push subscription per queue: the second trigger on the same queue adds nothing",
			rs: []*blueprints.Resource{queue("jobs"), field(fn("worker", withTrigger(
				blueprints.Trigger{Queue: "jobs", BatchSize: 1}, blueprints.Trigger{Queue: "jobs", BatchSize: 1},
			)), "triggers[1].queue", 23)},
			keys: []string{"queue_triggers"},
			want: map[string]string{"queue_triggers": "{ jobs = { topic_id = module.jobs.id fifo = false ack_deadline_seconds = 30 " +
				`message_retention_seconds = 345600 dead_letter = false dead_letter_topic_id = "" max_delivery_attempts = 0 } }`},
			wantDiags: []d{warn("resources.worker.triggers[1].queue", "repeated queue trigger approximated on gcp", 23)},
		},
		"reserved environment variable": {
			reason: "Cloud Run sets PORT itself",
			rs: []*blueprints.Resource{field(fn("api", func(f *blueprints.Function) {
				f.Env = []blueprints.EnvVar{env("PORT", blueprints.Part{Text: "8080"})}
			}), "env.PORT", 11)},
			keys:      []string{"environment"},
			want:      map[string]string{"environment": `{ PORT = "8080" }`},
			wantDiags: []d{fail("resources.api.env.PORT", "environment variable PORT is not supported on gcp", 11)},
		},
		"database on gcp": {
			reason: "the function egresses into the VPC and may mint the database's login tokens",
			rs: []*blueprints.Resource{db("orders-db"), fn("api", func(f *blueprints.Function) {
				f.Env = []blueprints.EnvVar{
					env("DB_URL", blueprints.Part{Text: "postgres://"}, ref("orders-db", "username"), blueprints.Part{Text: "@"}, ref("orders-db", "host")),
					env("DB_PORT", ref("orders-db", "port")),
				}
			})},
			keys: []string{"environment", "vpc_access", "vpc_network", "vpc_subnetwork", "database_service_accounts"},
			want: map[string]string{
				"environment":               `{ DB_URL = "postgres://${module.orders_db.username}@${module.orders_db.host}" DB_PORT = module.orders_db.port }`,
				"vpc_access":                "true",
				"vpc_network":               "module.gcp_network.network_id",
				"vpc_subnetwork":            "module.gcp_network.subnet_id",
				"database_service_accounts": "{ orders-db = module.orders_db.admin_service_account }",
			},
			wantDiags: []d{
				warn("resources.orders-db.backup_retention_days", "backup retention of 7 days approximated on gcp", 10),
				warn("resources.orders-db", "administrator password approximated on gcp", 10),
			},
		},
		"overridden entry point": {
			reason: "a team that sets the entry point has chosen the module layout",
			rs:     []*blueprints.Resource{override(fn("api", func(f *blueprints.Function) { f.Handler = "app.process" }), "entry_point", "process")},
			keys:   []string{"entry_point"},
			want:   map[string]string{"entry_point": `"process"`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := bp(tc.rs...)
			frag, ds := lower(t, b)
			var label string
			for _, r := range b.Resources {
				if r.Kind == blueprints.KindFunction && r.Cloud == blueprints.GCP {
					label = r.ID()
				}
			}
			if diff := cmp.Diff(tc.want, pick(args(t, module(frag, label)), tc.keys...)); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantDiags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDatabase(t *testing.T) {
	passwordWarning := func(name string, line int) d {
		return warn("resources."+name, "administrator password approximated on gcp", line)
	}
	cases := map[string]struct {
		reason    string
		r         *blueprints.Resource
		want      map[string]string
		wantDiags []d
	}{
		"postgres defaults": {
			reason: "a small private PostgreSQL 16 with 7 daily backups, 6 days of point-in-time recovery and deletion protection",
			r:      field(db("orders-db"), "backup_retention_days", 12),
			want: map[string]string{
				"region": `"europe-west1"`, "engine": `"postgres"`, "database_version": `"POSTGRES_16"`, "tier": `"db-custom-2-4096"`,
				"storage_gb": "20", "high_availability": "false", "retained_backups": "7", "transaction_log_retention_days": "6",
				"deletion_protection": "true", "database_name": `"orders_db"`, "network_id": "module.gcp_network.private_services_network_id",
			},
			wantDiags: []d{warn("resources.orders-db.backup_retention_days", "backup retention of 7 days approximated on gcp", 12), passwordWarning("orders-db", 10)},
		},
		"mysql highly available": {
			reason: "MySQL versions use underscores; high availability and sizes map exactly",
			r: db("warehouse", func(d *blueprints.Database) {
				d.Engine, d.Version, d.Size, d.HighAvailability, d.StorageGB, d.DeletionProtection = blueprints.MySQL, "8.4", blueprints.XLarge, true, 500, false
			}),
			want: map[string]string{
				"region": `"europe-west1"`, "engine": `"mysql"`, "database_version": `"MYSQL_8_4"`, "tier": `"db-custom-8-32768"`,
				"storage_gb": "500", "high_availability": "true", "retained_backups": "7", "transaction_log_retention_days": "6",
				"deletion_protection": "false", "database_name": `"warehouse"`, "network_id": "module.gcp_network.private_services_network_id",
			},
			wantDiags: []d{warn("resources.warehouse.backup_retention_days", "backup retention of 7 days approximated on gcp", 10), passwordWarning("warehouse", 10)},
		},
		"one day of backups": {
			reason: "Cloud SQL keeps more backups than days of logs, so one day becomes two backups",
			r:      db("pg", func(d *blueprints.Database) { d.BackupRetentionDays, d.Size, d.Version = 1, blueprints.Medium, "13" }),
			want: map[string]string{
				"region": `"europe-west1"`, "engine": `"postgres"`, "database_version": `"POSTGRES_13"`, "tier": `"db-custom-2-8192"`,
				"storage_gb": "20", "high_availability": "false", "retained_backups": "2", "transaction_log_retention_days": "1",
				"deletion_protection": "true", "database_name": `"pg"`, "network_id": "module.gcp_network.private_services_network_id",
			},
			wantDiags: []d{warn("resources.pg.backup_retention_days", "backup retention of 1 days approximated on gcp", 10), passwordWarning("pg", 10)},
		},
		"35 days of backups": {
			reason: "point-in-time recovery stops at 7 days on the Enterprise edition",
			r:      db("pg", func(d *blueprints.Database) { d.BackupRetentionDays, d.Size, d.Version = 35, blueprints.Large, "17" }),
			want: map[string]string{
				"region": `"europe-west1"`, "engine": `"postgres"`, "database_version": `"POSTGRES_17"`, "tier": `"db-custom-4-16384"`,
				"storage_gb": "20", "high_availability": "false", "retained_backups": "35", "transaction_log_retention_days": "7",
				"deletion_protection": "true", "database_name": `"pg"`, "network_id": "module.gcp_network.private_services_network_id",
			},
			wantDiags: []d{warn("resources.pg.backup_retention_days", "backup retention of 35 days approximated on gcp", 10), passwordWarning("pg", 10)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(tc.r))
			got := args(t, module(frag, tc.r.ID()))
			delete(got, "source")
			delete(got, "name")
			delete(got, "labels")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantDiags, diags(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCluster(t *testing.T) {
	cases := map[string]struct {
		reason string
		c      blueprints.Cluster
		want   map[string]string
	}{
		"private endpoint with spot pool": {
			reason: "pools are keyed by name with machine types from the size table; spot and the private endpoint carry over",
			c: blueprints.Cluster{Kubernetes: "1.31", PrivateEndpoint: true, NodePools: []blueprints.NodePool{
				{Name: "batch", Size: blueprints.Large, Min: 0, Max: 10, Spot: true},
				{Name: "general", Size: blueprints.Medium, Min: 1, Max: 5},
			}},
			want: map[string]string{
				"region": `"europe-west1"`, "network_id": "module.gcp_network.network_id", "subnet_id": "module.gcp_network.subnet_id",
				"kubernetes_version": `"1.31"`, "private_endpoint": "true",
				"node_pools": `{ batch = { machine_type = "e2-standard-8" min = 0 max = 10 spot = true } general = { machine_type = "e2-standard-4" min = 1 max = 5 spot = false } }`,
			},
		},
		"every size": {
			reason: "small and xlarge nodes",
			c: blueprints.Cluster{Kubernetes: "1.33", NodePools: []blueprints.NodePool{
				{Name: "huge", Size: blueprints.XLarge, Min: 1, Max: 2},
				{Name: "tiny", Size: blueprints.Small, Min: 1, Max: 3},
			}},
			want: map[string]string{
				"region": `"europe-west1"`, "network_id": "module.gcp_network.network_id", "subnet_id": "module.gcp_network.subnet_id",
				"kubernetes_version": `"1.33"`, "private_endpoint": "false",
				"node_pools": `{ huge = { machine_type = "e2-standard-16" min = 1 max = 2 spot = false } tiny = { machine_type = "e2-standard-2" min = 1 max = 3 spot = false } }`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, bp(cluster("k8s", tc.c)))
			got := args(t, module(frag, "k8s"))
			delete(got, "source")
			delete(got, "name")
			delete(got, "labels")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if len(ds) != 0 {
				t.Errorf("%s: every cluster setting maps exactly, got %v", tc.reason, ds)
			}
		})
	}
}

// TestRendered renders a whole fragment the way the compiler does and checks
// the parts a reader relies on: stable module addresses, labels, and no
// literal that Terraform would read as an interpolation.
func TestRendered(t *testing.T) {
	b := bp(
		queue("orders"),
		fn("worker", func(f *blueprints.Function) {
			f.Env = []blueprints.EnvVar{env("MODE", blueprints.Part{Text: "batch ${HOME} %{x}"}), env("QUEUE", ref("orders", "name"))}
			f.Triggers = []blueprints.Trigger{{Queue: "orders", BatchSize: 1}}
		}),
	)
	frag, _ := lower(t, b)
	cfg := &tfir.Config{}
	cfg.File("providers").Add(frag.Providers...)
	cfg.File("main").Add(frag.Modules...)
	files, err := cfg.HCL()
	if err != nil {
		t.Fatal(err)
	}
	main := string(files["main.tf"])
	for _, want := range []string{
		`module "orders" {`,
		`module "worker" {`,
		`source = "./modules/gcp/function"`,
		`MODE  = "batch $${HOME} %%{x}"`,
		`QUEUE = module.orders.name`,
		`team              = "payments"`,
		`skyform-resource  = "worker"`,
	} {
		if !strings.Contains(main, want) {
			t.Errorf("main.tf lacks %q:\n%s", want, main)
		}
	}
	again, _ := lower(t, b)
	cfg2 := &tfir.Config{}
	cfg2.File("providers").Add(again.Providers...)
	cfg2.File("main").Add(again.Modules...)
	files2, _ := cfg2.HCL()
	if diff := cmp.Diff(files, files2); diff != "" {
		t.Errorf("lowering twice differs:\n%s", diff)
	}
}

func TestUnpackagedFunction(t *testing.T) {
	b := bp(field(fn("api"), "source", 11))
	in := &providers.Input{Blueprint: b, Resources: b.Placed(blueprints.GCP), Packages: map[string]providers.Package{}}
	_, ds := New().Lower(in)
	want := []d{fail("resources.api.source", "function source not packaged", 11)}
	if diff := cmp.Diff(want, diags(ds)); diff != "" {
		t.Errorf("a function without a package is a compiler bug reported at its source (-want +got):\n%s", diff)
	}
}

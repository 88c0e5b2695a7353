package azure

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/blueprinttest"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

const file = "skyform.yaml"

// at is a position in the test blueprint; every field of a resource gets one
// so a diagnostic's path and position can be checked together.
func at(line int) diag.Range { return diag.Range{File: file, Start: diag.Pos{Line: line, Column: 3}} }

func resource(name string, line int, fields ...string) *blueprints.Resource {
	r := &blueprints.Resource{Name: name, Cloud: azure, Range: at(line), Fields: map[string]diag.Range{}}
	for i, f := range fields {
		r.Fields[f] = at(line + 1 + i)
	}
	return r
}

func queue(name string, q blueprints.Queue) *blueprints.Resource {
	r := resource(name, 10, "ordering", "visibility_timeout", "retention", "dead_letter", "encryption")
	r.Kind, r.Queue = blueprints.KindQueue, &q
	return r
}

func stdQueue() blueprints.Queue {
	return blueprints.Queue{VisibilityTimeout: 30 * time.Second, Retention: 96 * time.Hour, Encryption: true, DeadLetter: &blueprints.DeadLetter{MaxDeliveries: 5}}
}

func function(name string, f blueprints.Function) *blueprints.Resource {
	r := resource(name, 20, "runtime", "handler", "memory_mb", "timeout", "concurrency", "env",
		"triggers[0].queue", "triggers[0].batch_size", "triggers[0].http",
		"triggers[1].queue", "triggers[1].batch_size", "triggers[1].http",
		"triggers[0].schedule", "triggers[1].schedule")
	for _, e := range f.Env {
		r.Fields["env."+e.Name] = at(40)
	}
	r.Kind, r.Function = blueprints.KindFunction, &f
	return r
}

func stdFunction() blueprints.Function {
	return blueprints.Function{Runtime: blueprints.Python312, Handler: "main.handler", MemoryMB: 2048, Timeout: 30 * time.Second}
}

func database(name string, d blueprints.Database) *blueprints.Resource {
	r := resource(name, 50, "engine", "version", "size", "storage_gb", "high_availability", "backup_retention_days", "deletion_protection")
	r.Kind, r.Database = blueprints.KindDatabase, &d
	return r
}

func stdDatabase(e blueprints.Engine) blueprints.Database {
	v := "16"
	if e == blueprints.MySQL {
		v = "8.0"
	}
	return blueprints.Database{Engine: e, Version: v, Size: blueprints.Medium, StorageGB: 64, BackupRetentionDays: 7, DeletionProtection: true}
}

func cluster(name string, pools ...blueprints.NodePool) *blueprints.Resource {
	r := resource(name, 70, "kubernetes", "private_endpoint")
	for i, p := range pools {
		r.Fields["node_pools."+p.Name] = at(80 + 4*i)
		r.Fields["node_pools."+p.Name+".min"] = at(81 + 4*i)
		r.Fields["node_pools."+p.Name+".spot"] = at(82 + 4*i)
	}
	r.Kind, r.Cluster = blueprints.KindCluster, &blueprints.Cluster{Kubernetes: "1.32", NodePools: pools}
	return r
}

func blueprint(rs ...*blueprints.Resource) *blueprints.Blueprint {
	return &blueprints.Blueprint{Name: "shop", File: file, Cloud: azure, Region: blueprints.Region{Neutral: "europe-west"},
		Labels: []blueprints.Label{{Key: "team", Value: "payments"}}, Resources: rs}
}

func lower(t *testing.T, bp *blueprints.Blueprint) (*providers.Fragment, diag.Diagnostics) {
	t.Helper()
	in := &providers.Input{Blueprint: bp, Resources: bp.Placed(azure), Packages: map[string]providers.Package{}}
	for _, r := range bp.Resources {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip", SHA256: "c2hh", SHA256Hex: "abc123"}
		}
	}
	frag, ds := New().Lower(in)
	if frag == nil {
		t.Fatal("no fragment")
	}
	return frag, ds
}

// args renders a block and returns each top-level argument as HCL text.
func args(t *testing.T, b *tfir.Block) map[string]string {
	t.Helper()
	cfg := &tfir.Config{}
	cfg.File("main").Add(b)
	out, err := cfg.HCL()
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclwrite.ParseConfig(out["main.tf"], "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	m := map[string]string{}
	for name, a := range f.Body().Blocks()[0].Body().Attributes() {
		m[name] = strings.Join(strings.Fields(string(a.Expr().BuildTokens(nil).Bytes())), " ")
	}
	return m
}

func module(t *testing.T, frag *providers.Fragment, label string) map[string]string {
	t.Helper()
	for _, m := range frag.Modules {
		if m.Labels[0] == label {
			return args(t, m)
		}
	}
	t.Fatalf("no module %q", label)
	return nil
}

// pick keeps the arguments a case is about; a missing one reads "<unset>".
func pick(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			v = "<unset>"
		}
		out[k] = v
	}
	return out
}

// finding is a diagnostic as a case states it: severity, data path and
// summary, and the line it points at.
type finding struct {
	Severity diag.Severity
	Path     string
	Summary  string
	Line     int
}

func findings(ds diag.Diagnostics) []finding {
	var out []finding
	for _, d := range ds {
		out = append(out, finding{d.Severity, d.Path, d.Summary, d.Range.Start.Line})
	}
	return out
}

func warn(path, summary string, line int) finding {
	return finding{diag.Warning, path, summary + " approximated on azure", line}
}

func fail(path, summary string, line int) finding {
	return finding{diag.Error, path, summary + " is not supported on azure", line}
}

func TestQueue(t *testing.T) {
	cases := map[string]struct {
		reason string
		queue  blueprints.Queue
		want   map[string]string
		diags  []finding
	}{
		"dead letter": {
			reason: "max_deliveries is Service Bus's max_delivery_count; durations are seconds",
			queue:  stdQueue(),
			want:   map[string]string{"fifo": "false", "lock_duration_seconds": "30", "message_ttl_seconds": "345600", "max_delivery_count": "5"},
		},
		"no dead letter": {
			reason: "Service Bus always dead-letters, so the count is the largest it takes",
			queue:  func() blueprints.Queue { q := stdQueue(); q.DeadLetter = nil; return q }(),
			want:   map[string]string{"fifo": "false", "lock_duration_seconds": "30", "message_ttl_seconds": "345600", "max_delivery_count": "2147483647"},
			diags:  []finding{warn("resources.orders.dead_letter", "no dead letter", 14)},
		},
		"fifo": {
			reason: "FIFO is approximated with sessions",
			queue:  func() blueprints.Queue { q := stdQueue(); q.FIFO = true; return q }(),
			want:   map[string]string{"fifo": "true", "lock_duration_seconds": "30", "message_ttl_seconds": "345600", "max_delivery_count": "5"},
			diags:  []finding{warn("resources.orders.ordering", "FIFO ordering", 11)},
		},
		"long visibility timeout": {
			reason: "a peek-lock lasts at most 5 minutes: clamp and warn",
			queue:  func() blueprints.Queue { q := stdQueue(); q.VisibilityTimeout = 12 * time.Hour; return q }(),
			want:   map[string]string{"fifo": "false", "lock_duration_seconds": "300", "message_ttl_seconds": "345600", "max_delivery_count": "5"},
			diags:  []finding{warn("resources.orders.visibility_timeout", "visibility timeout", 12)},
		},
		"zero visibility timeout": {
			reason: "a peek-lock lasts at least 5 seconds",
			queue:  func() blueprints.Queue { q := stdQueue(); q.VisibilityTimeout = 0; return q }(),
			want:   map[string]string{"fifo": "false", "lock_duration_seconds": "5", "message_ttl_seconds": "345600", "max_delivery_count": "5"},
			diags:  []finding{warn("resources.orders.visibility_timeout", "visibility timeout", 12)},
		},
		"short retention": {
			reason: "the retention is the message time to live",
			queue:  func() blueprints.Queue { q := stdQueue(); q.Retention = time.Minute; return q }(),
			want:   map[string]string{"fifo": "false", "lock_duration_seconds": "30", "message_ttl_seconds": "60", "max_delivery_count": "5"},
		},
		"no encryption": {
			reason: "Service Bus always encrypts at rest",
			queue:  func() blueprints.Queue { q := stdQueue(); q.Encryption = false; return q }(),
			want:   map[string]string{"fifo": "false", "lock_duration_seconds": "30", "message_ttl_seconds": "345600", "max_delivery_count": "5"},
			diags:  []finding{warn("resources.orders.encryption", "unencrypted queue", 15)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, ds := lower(t, blueprint(queue("orders", tc.queue)))
			got := module(t, frag, "orders")
			if diff := cmp.Diff(tc.want, pick(got, "fifo", "lock_duration_seconds", "message_ttl_seconds", "max_delivery_count")); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.diags, findings(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
			if got["resource_group_name"] != "module.azure_group.name" || got["location"] != "module.azure_group.location" {
				t.Errorf("queue is not placed in the blueprint's resource group: %v", got)
			}
		})
	}
}

func TestFunctionRuntime(t *testing.T) {
	cases := map[string]struct {
		runtime blueprints.Runtime
		want    map[string]string
		diags   []finding
	}{
		"python3.12": {blueprints.Python312, map[string]string{"runtime_name": `"python"`, "runtime_version": `"3.12"`},
			[]finding{warn("resources.api.handler", "handler", 22)}},
		"python3.11": {blueprints.Python311, map[string]string{"runtime_name": `"python"`, "runtime_version": `"3.11"`},
			[]finding{warn("resources.api.handler", "handler", 22)}},
		"nodejs20": {blueprints.NodeJS20, map[string]string{"runtime_name": `"node"`, "runtime_version": `"20"`},
			[]finding{warn("resources.api.handler", "handler", 22)}},
		"nodejs22": {blueprints.NodeJS22, map[string]string{"runtime_name": `"node"`, "runtime_version": `"22"`},
			[]finding{warn("resources.api.handler", "handler", 22)}},
		"go": {blueprints.Go, map[string]string{"runtime_name": `"custom"`, "runtime_version": `"1.0"`},
			[]finding{warn("resources.api.runtime", "go runtime", 21)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := stdFunction()
			f.Runtime = tc.runtime
			frag, ds := lower(t, blueprint(function("api", f)))
			got := module(t, frag, "api")
			if diff := cmp.Diff(tc.want, pick(got, "runtime_name", "runtime_version")); diff != "" {
				t.Errorf("runtime (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.diags, findings(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if got["package_path"] != `"build/api.zip"` || got["package_sha256"] != `"abc123"` {
				t.Errorf("package is not passed: %v", got)
			}
		})
	}
}

func TestFunctionScale(t *testing.T) {
	handler := warn("resources.api.handler", "handler", 22)
	cases := map[string]struct {
		reason      string
		memory      int
		concurrency int
		want        map[string]string
		diags       []finding
	}{
		"exact memory": {"2048 MB is a Flex Consumption size", 2048, 0,
			map[string]string{"instance_memory_mb": "2048", "maximum_instance_count": "<unset>"}, []finding{handler}},
		"small memory": {"smaller sizes round up to 2048 MB", 256, 0,
			map[string]string{"instance_memory_mb": "2048", "maximum_instance_count": "<unset>"},
			[]finding{handler, warn("resources.api.memory_mb", "memory", 23)}},
		"between sizes": {"round up to the next size", 3000, 0,
			map[string]string{"instance_memory_mb": "4096", "maximum_instance_count": "<unset>"},
			[]finding{handler, warn("resources.api.memory_mb", "memory", 23)}},
		"too much memory": {"more than 4096 MB cannot be had", 10240, 0,
			map[string]string{"instance_memory_mb": "4096", "maximum_instance_count": "<unset>"},
			[]finding{handler, warn("resources.api.memory_mb", "memory", 23)}},
		"concurrency": {"concurrency is the most instances", 4096, 200,
			map[string]string{"instance_memory_mb": "4096", "maximum_instance_count": "200"}, []finding{handler}},
		"low concurrency": {"Flex Consumption's lowest maximum is 40", 4096, 10,
			map[string]string{"instance_memory_mb": "4096", "maximum_instance_count": "40"},
			[]finding{handler, warn("resources.api.concurrency", "concurrency", 25)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := stdFunction()
			f.MemoryMB, f.Concurrency = tc.memory, tc.concurrency
			frag, ds := lower(t, blueprint(function("api", f)))
			if diff := cmp.Diff(tc.want, pick(module(t, frag, "api"), "instance_memory_mb", "maximum_instance_count")); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.diags, findings(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFunctionTriggers(t *testing.T) {
	handler := warn("resources.worker.handler", "handler", 22)
	orders := queue("orders", stdQueue())
	fifo := queue("fifo", func() blueprints.Queue { q := stdQueue(); q.FIFO = true; return q }())
	remote := queue("remote", stdQueue())
	remote.Cloud = blueprints.AWS
	cases := map[string]struct {
		reason   string
		triggers []blueprints.Trigger
		timeout  time.Duration
		want     map[string]string
		diags    []finding
	}{
		"queue trigger": {
			reason:   "the identity gets the one queue, the binding its connection settings",
			triggers: []blueprints.Trigger{{Queue: "orders", BatchSize: 10}},
			want: map[string]string{
				"queue_triggers": `{ orders = { queue_id = module.orders.id queue_name = module.orders.name namespace_host = module.orders.namespace_host } }`,
				"batch_size":     "10", "http": "<unset>",
			},
			diags: []finding{handler, warn("resources.worker.triggers[0].queue", "queue trigger", 27)},
		},
		"two queues": {
			reason:   "one host setting holds the batch size: the largest wins",
			triggers: []blueprints.Trigger{{Queue: "orders", BatchSize: 10}, {Queue: "fifo", BatchSize: 20}},
			want: map[string]string{
				"queue_triggers": `{ orders = { queue_id = module.orders.id queue_name = module.orders.name namespace_host = module.orders.namespace_host } fifo = { queue_id = module.fifo.id queue_name = module.fifo.name namespace_host = module.fifo.namespace_host } }`,
				"batch_size":     "20", "http": "<unset>",
			},
			diags: []finding{handler, warn("resources.worker.triggers[0].queue", "queue trigger", 27),
				warn("resources.worker.triggers[1].queue", "queue trigger", 30),
				warn("resources.worker.triggers[1].batch_size", "batch size", 31)},
		},
		"cross-cloud queue": {
			reason:   "a Service Bus binding cannot listen to another cloud's queue",
			triggers: []blueprints.Trigger{{Queue: "remote", BatchSize: 10}},
			want:     map[string]string{"queue_triggers": "<unset>", "batch_size": "<unset>", "http": "<unset>"},
			diags:    []finding{handler, fail("resources.worker.triggers[0].queue", "a queue trigger from another cloud", 27)},
		},
		"public http": {
			reason:   "anonymous access is declared in code",
			triggers: []blueprints.Trigger{{HTTP: &blueprints.HTTPTrigger{Public: true}}},
			want:     map[string]string{"queue_triggers": "<unset>", "batch_size": "<unset>", "http": "true"},
			diags:    []finding{handler, warn("resources.worker.triggers[0].http", "http trigger", 29)},
		},
		"long http": {
			reason:   "the front end cuts HTTP requests at 230 seconds",
			triggers: []blueprints.Trigger{{HTTP: &blueprints.HTTPTrigger{}}},
			timeout:  5 * time.Minute,
			want:     map[string]string{"queue_triggers": "<unset>", "batch_size": "<unset>", "http": "true"},
			diags: []finding{handler, warn("resources.worker.triggers[0].http", "http trigger", 29),
				warn("resources.worker.timeout", "timeout", 24)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := stdFunction()
			f.Triggers = tc.triggers
			if tc.timeout != 0 {
				f.Timeout = tc.timeout
			}
			frag, ds := lower(t, blueprint(fifo, orders, remote, function("worker", f)))
			var own diag.Diagnostics
			for _, d := range ds {
				if strings.HasPrefix(d.Path, "resources.worker.") {
					own = append(own, d)
				}
			}
			if diff := cmp.Diff(tc.want, pick(module(t, frag, "worker"), "queue_triggers", "batch_size", "http")); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.diags, findings(own)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFunctionSchedules(t *testing.T) {
	cases := map[string]struct {
		reason   string
		triggers []blueprints.Trigger
		want     string
		diags    []finding
	}{
		"berlin": {
			reason:   "the schedule is converted to UTC with the zone's standard offset and published as an app setting",
			triggers: []blueprints.Trigger{blueprinttest.Schedule(t, "0 14 * * SAT", "Europe/Berlin")},
			want:     `{ "1" = "0 0 13 * * 6" }`,
			diags:    []finding{warn("resources.worker.triggers[0].schedule", "schedule trigger", 33)},
		},
		"both day fields": {
			reason:   "NCRONTAB needs both day fields to match: two schedules",
			triggers: []blueprints.Trigger{{HTTP: &blueprints.HTTPTrigger{}}, blueprinttest.Schedule(t, "0 6 1 * MON", "UTC")},
			want:     `{ "1-dom" = "0 0 6 1 * *" "1-dow" = "0 0 6 * * 1" }`,
			diags:    []finding{warn("resources.worker.triggers[0].http", "http trigger", 29), warn("resources.worker.triggers[1].schedule", "schedule trigger", 34)},
		},
		"no utc equivalent": {
			reason:   "midnight on the 1st in Berlin is the last day of the month before in UTC",
			triggers: []blueprints.Trigger{blueprinttest.Schedule(t, "0 0 1 * *", "Europe/Berlin")},
			want:     "<unset>",
			diags:    []finding{fail("resources.worker.triggers[0].schedule", "schedule 0 0 1 * * in Europe/Berlin", 33)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := stdFunction()
			f.Triggers = tc.triggers
			frag, ds := lower(t, blueprint(function("worker", f)))
			var own diag.Diagnostics
			for _, d := range ds {
				if strings.HasPrefix(d.Path, "resources.worker.triggers") {
					own = append(own, d)
				}
			}
			if got := pick(module(t, frag, "worker"), "schedule_triggers")["schedule_triggers"]; got != tc.want {
				t.Errorf("%s: schedule_triggers = %s, want %s", tc.reason, got, tc.want)
			}
			if diff := cmp.Diff(tc.diags, findings(own)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func ref(res, attr string) blueprints.Template {
	return blueprints.Template{{Ref: &blueprints.Ref{Resource: res, Attribute: attr}}}
}

func TestFunctionEnvironment(t *testing.T) {
	handler := warn("resources.api.handler", "handler", 22)
	pg := database("pg", stdDatabase(blueprints.Postgres))
	my := database("my", stdDatabase(blueprints.MySQL))
	remote := database("remote", stdDatabase(blueprints.Postgres))
	remote.Cloud = blueprints.GCP
	cases := map[string]struct {
		reason string
		env    []blueprints.EnvVar
		want   map[string]string
		diags  []finding
	}{
		"literal": {
			reason: "a user string stays data",
			env:    []blueprints.EnvVar{{Name: "MODE", Value: blueprints.Template{{Text: "a ${x} %{y}"}}}},
			want:   map[string]string{"app_settings": `{ MODE = "a $${x} %%{y}" }`, "subnet_id": "<unset>", "key_vault_ids": "<unset>"},
			diags:  []finding{handler},
		},
		"azure database": {
			reason: "a function reaching a database on Azure joins the network",
			env:    []blueprints.EnvVar{{Name: "DB_HOST", Value: ref("pg", "host")}},
			want: map[string]string{"app_settings": `{ DB_HOST = module.pg.host }`,
				"subnet_id": "module.azure_network.functions_subnet_id", "key_vault_ids": "<unset>"},
			diags: []finding{handler},
		},
		"mysql password": {
			reason: "the function may read the vault of the password it refers to",
			env:    []blueprints.EnvVar{{Name: "DB_SECRET", Value: ref("my", "password_secret")}},
			want: map[string]string{"app_settings": `{ DB_SECRET = module.my.password_secret }`,
				"subnet_id": "module.azure_network.functions_subnet_id", "key_vault_ids": `{ my = module.my.key_vault_id }`},
			diags: []finding{handler},
		},
		"database on another cloud": {
			reason: "private networks of two clouds are not connected",
			env:    []blueprints.EnvVar{{Name: "DB_HOST", Value: ref("remote", "host")}},
			want:   map[string]string{"app_settings": `{ DB_HOST = module.remote.host }`, "subnet_id": "<unset>", "key_vault_ids": "<unset>"},
			diags:  []finding{handler, warn("resources.api.env", "database reachability", 26)},
		},
		"reserved name": {
			reason: "AZURE_CLIENT_ID is the app's identity",
			env:    []blueprints.EnvVar{{Name: "azure_client_id", Value: blueprints.Template{{Text: "x"}}}},
			want:   map[string]string{"app_settings": `{ azure_client_id = "x" }`, "subnet_id": "<unset>", "key_vault_ids": "<unset>"},
			diags:  []finding{handler, fail("resources.api.env.azure_client_id", `environment variable "azure_client_id"`, 40)},
		},
		"names differing in case": {
			reason: "app setting names ignore case",
			env:    []blueprints.EnvVar{{Name: "Mode", Value: blueprints.Template{{Text: "a"}}}, {Name: "MODE", Value: blueprints.Template{{Text: "b"}}}},
			want:   map[string]string{"app_settings": `{ Mode = "a" MODE = "b" }`, "subnet_id": "<unset>", "key_vault_ids": "<unset>"},
			diags:  []finding{handler, fail("resources.api.env.MODE", `environment variable "MODE"`, 40)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := stdFunction()
			f.Env = tc.env
			frag, ds := lower(t, blueprint(function("api", f), my, pg, remote))
			var own diag.Diagnostics
			for _, d := range ds {
				if strings.HasPrefix(d.Path, "resources.api.") {
					own = append(own, d)
				}
			}
			if diff := cmp.Diff(tc.want, pick(module(t, frag, "api"), "app_settings", "subnet_id", "key_vault_ids")); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.diags, findings(own)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDatabase(t *testing.T) {
	entra := warn("resources.db.engine", "administrator password", 51)
	keys := []string{"engine", "engine_version", "sku_name", "storage_gb", "high_availability", "high_availability_mode",
		"backup_retention_days", "deletion_protection", "database_name", "subnet_id", "private_dns_zone_id"}
	pgWant := func(over map[string]string) map[string]string {
		m := map[string]string{"engine": `"postgres"`, "engine_version": `"16"`, "sku_name": `"GP_Standard_D2ads_v5"`, "storage_gb": "64",
			"high_availability": "false", "high_availability_mode": "<unset>", "backup_retention_days": "7", "deletion_protection": "true",
			"database_name": `"db"`, "subnet_id": "module.azure_network.postgres_subnet_id",
			"private_dns_zone_id": "module.azure_network.postgres_private_dns_zone_id"}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	myWant := func(over map[string]string) map[string]string {
		m := pgWant(map[string]string{"engine": `"mysql"`, "engine_version": `"8.0.21"`, "subnet_id": "module.azure_network.mysql_subnet_id",
			"private_dns_zone_id": "module.azure_network.mysql_private_dns_zone_id"})
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	cases := map[string]struct {
		reason string
		db     func(*blueprints.Database)
		region string
		want   map[string]string
		diags  []finding
	}{
		"postgres": {reason: "the medium size is General Purpose D2ads_v5", db: func(*blueprints.Database) {},
			want: pgWant(nil), diags: []finding{entra}},
		"small": {reason: "small is Burstable B2s, which is noted", db: func(d *blueprints.Database) { d.Size = blueprints.Small },
			want: pgWant(map[string]string{"sku_name": `"B_Standard_B2s"`}), diags: []finding{warn("resources.db.size", "size", 53), entra}},
		"large and xlarge": {reason: "4/16 and 8/32", db: func(d *blueprints.Database) { d.Size = blueprints.XLarge },
			want: pgWant(map[string]string{"sku_name": `"GP_Standard_D8ads_v5"`}), diags: []finding{entra}},
		"small with high availability": {reason: "Burstable has no standby: the smallest General Purpose size",
			db:    func(d *blueprints.Database) { d.Size, d.HighAvailability = blueprints.Small, true },
			want:  pgWant(map[string]string{"sku_name": `"GP_Standard_D2ads_v5"`, "high_availability": "true"}),
			diags: []finding{warn("resources.db.high_availability", "high availability", 55), entra}},
		"high availability without zones": {reason: "westus has no zones: the standby shares the primary's zone",
			db: func(d *blueprints.Database) { d.HighAvailability = true }, region: "westus",
			want:  pgWant(map[string]string{"high_availability": "true", "high_availability_mode": `"SameZone"`}),
			diags: []finding{warn("resources.db.high_availability", "high availability", 55), entra}},
		"postgres storage": {reason: "PostgreSQL storage rounds up to the next size",
			db:    func(d *blueprints.Database) { d.StorageGB = 50 },
			want:  pgWant(map[string]string{"storage_gb": "64"}),
			diags: []finding{warn("resources.db.storage_gb", "storage", 54), entra}},
		"postgres backups": {reason: "PostgreSQL keeps backups at least 7 days",
			db:    func(d *blueprints.Database) { d.BackupRetentionDays = 3 },
			want:  pgWant(nil),
			diags: []finding{warn("resources.db.backup_retention_days", "backup retention", 56), entra}},
		"no deletion protection": {reason: "deletion protection is a lock the module makes or not",
			db:   func(d *blueprints.Database) { d.DeletionProtection = false },
			want: pgWant(map[string]string{"deletion_protection": "false"}), diags: []finding{entra}},
		"mysql": {reason: "MySQL 8.0 is Azure's 8.0.21; any size from 20 GB is exact; 1-day backups are fine",
			db: func(d *blueprints.Database) {
				*d = stdDatabase(blueprints.MySQL)
				d.StorageGB, d.BackupRetentionDays = 20, 1
			},
			want: myWant(map[string]string{"storage_gb": "20", "backup_retention_days": "1"})},
		"mysql 8.4": {reason: "8.4 keeps its name",
			db:   func(d *blueprints.Database) { *d = stdDatabase(blueprints.MySQL); d.Version = "8.4" },
			want: myWant(map[string]string{"engine_version": `"8.4"`})},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := stdDatabase(blueprints.Postgres)
			tc.db(&d)
			bp := blueprint(database("db", d))
			if tc.region != "" {
				bp.Region = blueprints.Region{Native: tc.region, NativeCloud: azure}
			}
			frag, ds := lower(t, bp)
			if diff := cmp.Diff(tc.want, pick(module(t, frag, "db"), keys...)); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.diags, findings(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCluster(t *testing.T) {
	pool := func(name string, size blueprints.Size, min, max int, spot bool) blueprints.NodePool {
		return blueprints.NodePool{Name: name, Size: size, Min: min, Max: max, Spot: spot}
	}
	cases := map[string]struct {
		reason  string
		pools   []blueprints.NodePool
		private bool
		want    map[string]string
		diags   []finding
	}{
		"one pool": {
			reason: "the only pool is the default pool",
			pools:  []blueprints.NodePool{pool("general", blueprints.Medium, 1, 5, false)},
			want: map[string]string{
				"default_pool":    `{ name = "general" vm_size = "Standard_D4s_v5" min_count = 1 max_count = 5 }`,
				"node_pools":      "<unset>",
				"private_cluster": "false",
			},
		},
		"spot pool": {
			reason:  "the first regular pool is the default; spot pools are user pools",
			private: true,
			pools: []blueprints.NodePool{pool("batch", blueprints.Large, 0, 10, true), pool("general", blueprints.Small, 1, 3, false),
				pool("huge", blueprints.XLarge, 0, 2, false)},
			want: map[string]string{
				"default_pool":    `{ name = "general" vm_size = "Standard_D2s_v5" min_count = 1 max_count = 3 }`,
				"node_pools":      `{ batch = { name = "batch" vm_size = "Standard_D8s_v5" min_count = 0 max_count = 10 spot = true } huge = { name = "huge" vm_size = "Standard_D16s_v5" min_count = 0 max_count = 2 spot = false } }`,
				"private_cluster": "true",
			},
			diags: []finding{warn("resources.k8s.node_pools.batch.spot", "spot node pool", 82)},
		},
		"all spot": {
			reason: "a default pool cannot be spot: the first pool runs regular nodes",
			pools:  []blueprints.NodePool{pool("a", blueprints.Small, 1, 2, true), pool("b", blueprints.Small, 0, 2, true)},
			want: map[string]string{
				"default_pool":    `{ name = "a" vm_size = "Standard_D2s_v5" min_count = 1 max_count = 2 }`,
				"node_pools":      `{ b = { name = "b" vm_size = "Standard_D2s_v5" min_count = 0 max_count = 2 spot = true } }`,
				"private_cluster": "false",
			},
			diags: []finding{warn("resources.k8s.node_pools.a.spot", "spot node pool", 82),
				warn("resources.k8s.node_pools.b.spot", "spot node pool", 86)},
		},
		"default pool at zero": {
			reason: "the system pool keeps a node",
			pools:  []blueprints.NodePool{pool("general", blueprints.Medium, 0, 3, false)},
			want: map[string]string{
				"default_pool":    `{ name = "general" vm_size = "Standard_D4s_v5" min_count = 1 max_count = 3 }`,
				"node_pools":      "<unset>",
				"private_cluster": "false",
			},
			diags: []finding{warn("resources.k8s.node_pools.general.min", "node pool minimum", 81)},
		},
		"long names": {
			reason: "Linux pool names are 12 lower-case letters and digits",
			pools:  []blueprints.NodePool{pool("general-purpose", blueprints.Medium, 1, 3, false), pool("general-purpose-2", blueprints.Medium, 1, 3, false)},
			want: map[string]string{
				"default_pool":    `{ name = "generalpurpo" vm_size = "Standard_D4s_v5" min_count = 1 max_count = 3 }`,
				"node_pools":      `{ general-purpose-2 = { name = "generalpurp2" vm_size = "Standard_D4s_v5" min_count = 1 max_count = 3 spot = false } }`,
				"private_cluster": "false",
			},
			diags: []finding{warn("resources.k8s.node_pools.general-purpose", "node pool name", 80),
				warn("resources.k8s.node_pools.general-purpose-2", "node pool name", 84)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := cluster("k8s", tc.pools...)
			c.Cluster.PrivateEndpoint = tc.private
			frag, ds := lower(t, blueprint(c))
			got := module(t, frag, "k8s")
			if diff := cmp.Diff(tc.want, pick(got, "default_pool", "node_pools", "private_cluster")); diff != "" {
				t.Errorf("%s: arguments (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.diags, findings(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
			if got["kubernetes_version"] != `"1.32"` || got["subnet_id"] != "module.azure_network.cluster_subnet_id" {
				t.Errorf("version or subnet missing: %v", got)
			}
		})
	}
}

func TestPoolNames(t *testing.T) {
	cases := map[string]struct {
		pools []string
		want  map[string]string
	}{
		"short":      {[]string{"default", "spot"}, map[string]string{"default": "default", "spot": "spot"}},
		"dashes":     {[]string{"gpu-a"}, map[string]string{"gpu-a": "gpua"}},
		"collision":  {[]string{"a-b", "ab"}, map[string]string{"a-b": "ab", "ab": "ab2"}},
		"long":       {[]string{"abcdefghijklmn", "abcdefghijklmz"}, map[string]string{"abcdefghijklmn": "abcdefghijkl", "abcdefghijklmz": "abcdefghijk2"}},
		"rotation":   {[]string{"rotating"}, map[string]string{"rotating": "rotating2"}},
		"many peers": {[]string{"x1", "x-1", "x--1"}, map[string]string{"x1": "x1", "x-1": "x12", "x--1": "x13"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var pools []blueprints.NodePool
			for _, p := range tc.pools {
				pools = append(pools, blueprints.NodePool{Name: p})
			}
			if diff := cmp.Diff(tc.want, poolNames(pools)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFragment(t *testing.T) {
	remoteDB := database("remote", stdDatabase(blueprints.Postgres))
	remoteDB.Cloud = blueprints.AWS
	useRemote := stdFunction()
	useRemote.Env = []blueprints.EnvVar{{Name: "DB", Value: ref("remote", "host")}}
	cases := map[string]struct {
		reason  string
		rs      []*blueprints.Resource
		modules []string
		used    []string
		network map[string]string
		rps     string
	}{
		"queue only": {
			reason:  "no network without a tenant for it",
			rs:      []*blueprints.Resource{queue("orders", stdQueue())},
			modules: []string{"azure_group", "orders"},
			used:    []string{"azure/group", "azure/queue"},
			rps:     `["Microsoft.ServiceBus"]`,
		},
		"function reaching another cloud": {
			reason:  "a database on another cloud needs no Azure subnet",
			rs:      []*blueprints.Resource{function("api", useRemote), remoteDB},
			modules: []string{"azure_group", "api"},
			used:    []string{"azure/group", "azure/function"},
			rps:     `["Microsoft.Web"]`,
		},
		"everything": {
			reason: "the network holds a subnet per tenant",
			rs: []*blueprints.Resource{
				cluster("k8s", blueprints.NodePool{Name: "general", Size: blueprints.Small, Min: 1, Max: 2}),
				database("my", stdDatabase(blueprints.MySQL)),
				database("pg", stdDatabase(blueprints.Postgres)),
			},
			modules: []string{"azure_group", "azure_network", "k8s", "my", "pg"},
			used:    []string{"azure/group", "azure/network", "azure/cluster", "azure/database"},
			network: map[string]string{"cluster": "true", "functions": "<unset>", "postgres": "true", "mysql": "true"},
			rps:     `["Microsoft.ContainerService", "Microsoft.DBforMySQL", "Microsoft.DBforPostgreSQL", "Microsoft.KeyVault"]`,
		},
		"function in the network": {
			reason: "VNet integration of Flex Consumption needs Microsoft.App",
			rs: []*blueprints.Resource{
				function("api", func() blueprints.Function {
					f := stdFunction()
					f.Env = []blueprints.EnvVar{{Name: "DB", Value: ref("pg", "host")}}
					return f
				}()),
				database("pg", stdDatabase(blueprints.Postgres)),
			},
			modules: []string{"azure_group", "azure_network", "api", "pg"},
			used:    []string{"azure/group", "azure/network", "azure/database", "azure/function"},
			network: map[string]string{"cluster": "<unset>", "functions": "true", "postgres": "true", "mysql": "<unset>"},
			rps:     `["Microsoft.App", "Microsoft.DBforPostgreSQL", "Microsoft.Web"]`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			frag, _ := lower(t, blueprint(tc.rs...))
			var labels []string
			for _, m := range frag.Modules {
				labels = append(labels, m.Labels[0])
			}
			if diff := cmp.Diff(tc.modules, labels); diff != "" {
				t.Errorf("%s: modules (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.used, frag.ModulesUsed); diff != "" {
				t.Errorf("%s: modules used (-want +got):\n%s", tc.reason, diff)
			}
			if got := args(t, frag.Providers[0])["resource_providers_to_register"]; got != tc.rps {
				t.Errorf("%s: resource providers: want %s, got %s", tc.reason, tc.rps, got)
			}
			if tc.network != nil {
				got := pick(module(t, frag, "azure_network"), "cluster", "functions", "postgres", "mysql")
				if diff := cmp.Diff(tc.network, got); diff != "" {
					t.Errorf("%s: network (-want +got):\n%s", tc.reason, diff)
				}
			}
		})
	}
}

func TestProviderAndGroup(t *testing.T) {
	frag, ds := lower(t, blueprint(queue("orders", stdQueue())))
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	cfg := &tfir.Config{}
	cfg.File("main").Add(frag.Providers...)
	cfg.File("main").Add(frag.Variables...)
	out, err := cfg.HCL()
	if err != nil {
		t.Fatal(err)
	}
	want := `provider "azurerm" {
  features {
  }
  subscription_id                = var.azure_subscription_id
  resource_providers_to_register = ["Microsoft.ServiceBus"]
}

variable "azure_subscription_id" {
  type        = string
  description = "Azure subscription to deploy into; null uses ARM_SUBSCRIPTION_ID or the Azure CLI's default subscription."
  default     = null
}
`
	if diff := cmp.Diff(want, string(out["main.tf"])); diff != "" {
		t.Errorf("provider and variable (-want +got):\n%s", diff)
	}
	group := module(t, frag, "azure_group")
	if diff := cmp.Diff(map[string]string{"name": `"shop"`, "location": `"westeurope"`}, pick(group, "name", "location")); diff != "" {
		t.Errorf("group (-want +got):\n%s", diff)
	}
}

func TestRegion(t *testing.T) {
	cases := map[string]struct {
		region   blueprints.Region
		location string
		diags    []finding
	}{
		"neutral":    {blueprints.Region{Neutral: "asia-northeast"}, `"japaneast"`, nil},
		"azure name": {blueprints.Region{Native: "northeurope", NativeCloud: azure}, `"northeurope"`, nil},
		"another cloud's": {blueprints.Region{Neutral: "europe-west", Native: "eu-west-1", NativeCloud: blueprints.AWS, Range: at(3)}, `"westeurope"`,
			[]finding{{diag.Warning, "region", "region approximated on azure", 3}}},
		"no equivalent": {blueprints.Region{Native: "us-east-2", NativeCloud: blueprints.AWS, Range: at(3)}, `""`,
			[]finding{{diag.Error, "region", "region has no equivalent on azure", 3}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			bp := blueprint(queue("orders", stdQueue()))
			bp.Region = tc.region
			frag, ds := lower(t, bp)
			if got := module(t, frag, "azure_group")["location"]; got != tc.location {
				t.Errorf("location: want %s, got %s", tc.location, got)
			}
			if diff := cmp.Diff(tc.diags, findings(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSizes(t *testing.T) {
	want := map[blueprints.Kind]map[blueprints.Size][2]float64{
		blueprints.KindDatabase: {blueprints.Small: {2, 4}, blueprints.Medium: {2, 8}, blueprints.Large: {4, 16}, blueprints.XLarge: {8, 32}},
		blueprints.KindCluster:  {blueprints.Small: {2, 8}, blueprints.Medium: {4, 16}, blueprints.Large: {8, 32}, blueprints.XLarge: {16, 64}},
	}
	got := map[blueprints.Kind]map[blueprints.Size][2]float64{}
	for _, s := range New().Sizes() {
		if got[s.Kind] == nil {
			got[s.Kind] = map[blueprints.Size][2]float64{}
		}
		got[s.Kind][s.Size] = [2]float64{float64(s.VCPU), s.MemoryGiB}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("every size matches the neutral vCPU and memory (-want +got):\n%s", diff)
	}
}

func TestOverridesAndDeterminism(t *testing.T) {
	db := database("db", stdDatabase(blueprints.Postgres))
	db.Overrides = map[blueprints.Cloud]map[string]any{azure: {"sku_name": "GP_Standard_D2ds_v5", "zone": "2"}}
	bp := blueprint(db, function("api", stdFunction()), queue("orders", stdQueue()))
	frag, _ := lower(t, bp)
	if diff := cmp.Diff(map[string]string{"sku_name": `"GP_Standard_D2ds_v5"`, "zone": `"2"`}, pick(module(t, frag, "db"), "sku_name", "zone")); diff != "" {
		t.Errorf("overrides replace lowered arguments (-want +got):\n%s", diff)
	}
	render := func(f *providers.Fragment) string {
		cfg := &tfir.Config{}
		cfg.File("main").Add(f.Modules...)
		out, err := cfg.HCL()
		if err != nil {
			t.Fatal(err)
		}
		return string(out["main.tf"])
	}
	again, _ := lower(t, bp)
	if render(frag) != render(again) {
		t.Error("lowering the same blueprint twice gave different output")
	}
}

// BenchmarkLower lowers a blueprint of 10,000 resources, the size the
// compile step must handle well under a second across clouds.
func BenchmarkLower(b *testing.B) {
	var rs []*blueprints.Resource
	for i := 0; i < 2500; i++ {
		n := fmt.Sprintf("%05d", i)
		f := stdFunction()
		f.Triggers = []blueprints.Trigger{{Queue: "q" + n, BatchSize: 5}}
		f.Env = []blueprints.EnvVar{{Name: "H", Value: ref("d"+n, "host")}}
		rs = append(rs, queue("q"+n, stdQueue()), database("d"+n, stdDatabase(blueprints.Postgres)), function("f"+n, f),
			cluster("k"+n, blueprints.NodePool{Name: "a", Size: blueprints.Small, Min: 1, Max: 2}))
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
	bp := blueprint(rs...)
	in := &providers.Input{Blueprint: bp, Resources: bp.Placed(azure), Packages: map[string]providers.Package{}}
	for _, r := range rs {
		if r.Function != nil {
			in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip"}
		}
	}
	b.ResetTimer()
	for range b.N {
		New().Lower(in)
	}
}

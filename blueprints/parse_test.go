package blueprints

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/diagtest"
)

// TestErrorPositions parses each bad blueprint in testdata/errors and checks
// that every error points at the line marked "# ERROR: <summary>".
func TestErrorPositions(t *testing.T) {
	diagtest.CheckFiles(t, "testdata/errors/*.yaml", func(t *testing.T, file string) ([]byte, diag.Diagnostics) {
		bp, ds, err := Load(file)
		if err != nil {
			t.Fatal(err)
		}
		return bp.Source, ds
	})
}

func TestErrorsCarryPathAndColumn(t *testing.T) {
	src := "blueprint: shop\nresources:\n  q:\n    kind: queue\n    retention: 99d\n"
	_, ds := Parse("b.yaml", []byte(src))
	want := diag.Diagnostics{{
		Severity: diag.Error, Summary: "retention out of range", Detail: "99d is not between 1m and 2w",
		Path: "resources.q.retention", Range: diag.Range{File: "b.yaml", Start: diag.Pos{Line: 5, Column: 16}},
	}}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func parseOK(t *testing.T, src string) *Blueprint {
	t.Helper()
	file := filepath.Join("testdata", "errors", "inline.yaml")
	bp, ds := Parse(file, []byte(src))
	if ds.HasErrors() {
		var b strings.Builder
		_ = diag.Write(&b, ds, diag.Sources{file: []byte(src)})
		t.Fatalf("unexpected errors:\n%s", b.String())
	}
	return bp
}

var ignorePositions = cmpopts.IgnoreFields(Resource{}, "Range", "Fields")

func TestDecodeDefaults(t *testing.T) {
	cases := map[string]struct {
		reason string
		src    string
		want   *Resource
	}{
		"queue": {
			reason: "a bare queue gets the documented defaults, encryption on",
			src:    "blueprint: b\nresources:\n  q: {kind: queue}\n",
			want:   &Resource{Name: "q", Kind: KindQueue, Cloud: AWS, Queue: &Queue{VisibilityTimeout: 30 * time.Second, Retention: 4 * 24 * time.Hour, Encryption: true}},
		},
		"fifo queue with dead letter": {
			reason: "ordering, durations and dead letter decode",
			src:    "blueprint: b\ncloud: gcp\nresources:\n  q: {kind: queue, ordering: fifo, visibility_timeout: 1h30m, retention: 1w, dead_letter: {max_deliveries: 5}, encryption: false}\n",
			want:   &Resource{Name: "q", Kind: KindQueue, Cloud: GCP, Queue: &Queue{FIFO: true, VisibilityTimeout: 90 * time.Minute, Retention: 7 * 24 * time.Hour, DeadLetter: &DeadLetter{MaxDeliveries: 5}}},
		},
		"database": {
			reason: "deletion protection on and version defaulted per engine",
			src:    "blueprint: b\nresources:\n  d: {kind: database, engine: mysql, cloud: azure}\n",
			want:   &Resource{Name: "d", Kind: KindDatabase, Cloud: Azure, Database: &Database{Engine: MySQL, Version: "8.0", Size: Small, StorageGB: 20, BackupRetentionDays: 7, DeletionProtection: true}},
		},
		"cluster": {
			reason: "node pools sorted by name with their defaults",
			src:    "blueprint: b\nresources:\n  k:\n    kind: cluster\n    private_endpoint: true\n    node_pools:\n      spot: {size: large, min: 0, max: 10, spot: true}\n      base: {}\n",
			want: &Resource{Name: "k", Kind: KindCluster, Cloud: AWS, Cluster: &Cluster{Kubernetes: "1.32", PrivateEndpoint: true, NodePools: []NodePool{
				{Name: "base", Size: Medium, Min: 1, Max: 3},
				{Name: "spot", Size: Large, Min: 0, Max: 10, Spot: true},
			}}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			bp := parseOK(t, tc.src)
			if diff := cmp.Diff(tc.want, bp.Resources[0], ignorePositions); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDecodeFunction(t *testing.T) {
	bp := parseOK(t, `blueprint: shop
labels: {team: payments}
resources:
  db: {kind: database, engine: postgres}
  jobs: {kind: queue}
  api:
    kind: function
    runtime: python3.12
    source: fn
    concurrency: 5
    triggers: [{queue: jobs, batch_size: 5}, {http: {public: true}}]
    env:
      DSN: "postgres://${db.username}@${db.host}:${db.port}/${ db.name }"
      PLAIN: "${HOME} %{x} $${db.host}"
`)
	f := bp.Resource("api").Function
	dir := filepath.Join("testdata", "errors", "fn")
	want := &Function{
		Runtime: Python312, Source: "fn", SourceDir: dir, Handler: "main.handler", MemoryMB: 256, Timeout: 30 * time.Second, Concurrency: 5,
		Env: []EnvVar{
			{Name: "DSN", Value: Template{{Text: "postgres://"}, {Ref: &Ref{Resource: "db", Attribute: "username"}}, {Text: "@"}, {Ref: &Ref{Resource: "db", Attribute: "host"}}, {Text: ":"}, {Ref: &Ref{Resource: "db", Attribute: "port"}}, {Text: "/"}, {Ref: &Ref{Resource: "db", Attribute: "name"}}}},
			// Anything that is not a reference stays literal text, "$${" included.
			{Name: "PLAIN", Value: Template{{Text: "${HOME} %{x} ${db.host}"}}},
		},
		Triggers: []Trigger{{Queue: "jobs", BatchSize: 5}, {HTTP: &HTTPTrigger{Public: true}}},
	}
	if diff := cmp.Diff(want, f, cmpopts.IgnoreFields(Ref{}, "Range")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Label{{"team", "payments"}}, bp.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	// The reference's position is exact inside a quoted scalar.
	ref := f.Env[0].Value[3].Ref
	if got, want := ref.Range.Start, (diag.Pos{Line: 13, Column: 39}); got != want {
		t.Errorf("reference position = %+v, want %+v", got, want)
	}
}

func TestDecodeMergeKeysAndOverrides(t *testing.T) {
	bp := parseOK(t, `blueprint: shop
region: eu-west-1
resources:
  base: &q {kind: queue, retention: 2d}
  other:
    <<: *q
    retention: 3d
    overrides:
      aws: {tags_extra: {a: 1}, delay: 5, name_suffix: "x"}
`)
	if got := bp.Resource("other").Queue.Retention; got != 72*time.Hour {
		t.Errorf("explicit key should win over a merged one: retention = %v", got)
	}
	want := map[Cloud]map[string]any{AWS: {"tags_extra": map[string]any{"a": int64(1)}, "delay": int64(5), "name_suffix": "x"}}
	if diff := cmp.Diff(want, bp.Resource("other").Overrides); diff != "" {
		t.Errorf("overrides (-want +got):\n%s", diff)
	}
	if bp.Region.Native != "eu-west-1" || bp.Region.Neutral != "europe-west" {
		t.Errorf("a cloud's region keeps its neutral twin: %+v", bp.Region)
	}
}

// TestAliasBomb checks that a blueprint expanding to billions of nodes is
// refused (how fast is measured by BenchmarkAliasBomb, not asserted here).
func TestAliasBomb(t *testing.T) {
	_, ds := Parse("bomb.yaml", aliasBomb())
	if len(ds) == 0 || ds[0].Summary != "blueprint too large" {
		t.Fatalf("want a 'blueprint too large' error, got %v", ds)
	}
}

func aliasBomb() []byte {
	var b strings.Builder
	b.WriteString("blueprint: bomb\nresources:\n  q:\n    kind: queue\n    overrides:\n      aws:\n        a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("        a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}

func itoa(i int) string { return string(rune('0' + i)) }

func BenchmarkAliasBomb(b *testing.B) {
	src := aliasBomb()
	for b.Loop() {
		Parse("bomb.yaml", src)
	}
}

func TestDurations(t *testing.T) {
	cases := map[string]struct {
		in   string
		want time.Duration
		bad  bool
	}{
		"seconds":         {in: "30s", want: 30 * time.Second},
		"days":            {in: "4d", want: 96 * time.Hour},
		"compound":        {in: "1h30m", want: 90 * time.Minute},
		"week and days":   {in: "1w2d", want: 9 * 24 * time.Hour},
		"zero":            {in: "0", want: 0},
		"no unit":         {in: "30", bad: true},
		"unknown unit":    {in: "3y", bad: true},
		"units out order": {in: "30m1h", bad: true},
		"repeated unit":   {in: "1s1s", bad: true},
		"empty":           {in: "", bad: true},
		"negative":        {in: "-1s", bad: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseDuration(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("ParseDuration(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			if back, _ := ParseDuration(FormatDuration(got)); back != got {
				t.Errorf("FormatDuration(%v) = %q does not read back", got, FormatDuration(got))
			}
		})
	}
}

func TestEmptyAndMultiDocument(t *testing.T) {
	for name, src := range map[string]string{"empty": "", "comment only": "# nothing\n", "two documents": "blueprint: a\nresources: {q: {kind: queue}}\n---\nblueprint: b\n"} {
		t.Run(name, func(t *testing.T) {
			_, ds := Parse("x.yaml", []byte(src))
			if !ds.HasErrors() || ds[0].Range.Start.Line == 0 {
				t.Fatalf("want a positioned error, got %v", ds)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, _, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !os.IsNotExist(unwrapAll(err)) {
		t.Fatalf("want a not-exist error, got %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestDecodeSchedule(t *testing.T) {
	bp := parseOK(t, `blueprint: reports
resources:
  report:
    kind: function
    runtime: python3.12
    source: fn
    triggers:
      - {schedule: "0 14 * * SAT", timezone: Europe/Berlin}
      - schedule: "@daily"
`)
	tr := bp.Resource("report").Function.Triggers
	if len(tr) != 2 || tr[0].Schedule == nil || tr[1].Schedule == nil {
		t.Fatalf("triggers = %+v, want two schedules", tr)
	}
	if got := tr[0].Schedule; got.Cron.Standard() != "0 14 * * 6" || got.Timezone != "Europe/Berlin" || got.Location.String() != "Europe/Berlin" {
		t.Errorf("first schedule = %q in %q", got.Cron.Standard(), got.Timezone)
	}
	if got := tr[1].Schedule; got.Cron.Standard() != "0 0 * * *" || got.Timezone != "UTC" {
		t.Errorf("a schedule without timezone is read in UTC, got %q in %q", got.Cron.Standard(), got.Timezone)
	}
	if _, ok := bp.Resource("report").Fields["triggers[0].schedule"]; !ok {
		t.Errorf("the schedule's position is not recorded")
	}
}

// TestScheduleErrorColumns: a mistake in a cron expression points at the
// field that is wrong, inside plain and quoted scalars alike.
func TestScheduleErrorColumns(t *testing.T) {
	cases := map[string]struct {
		line string
		col  int
	}{
		"quoted": {`      - schedule: "0 25 * * *"`, 22},
		"plain":  {`      - schedule: 0 9 * JUNE *`, 25},
		"flow":   {`      - {schedule: '*/5 * 32 * *'}`, 27},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			src := "blueprint: reports\nresources:\n  report:\n    kind: function\n    runtime: python3.12\n    source: fn\n    triggers:\n" + tc.line + "\n"
			_, ds := Parse(filepath.Join("testdata", "errors", "skyform.yaml"), []byte(src))
			errs := ds.Errs()
			if len(errs) != 1 {
				t.Fatalf("want one error, got %v", ds)
			}
			if got := errs[0].Range.Start; got.Line != 8 || got.Column != tc.col {
				t.Errorf("error %q at %d:%d, want 8:%d", errs[0].Summary, got.Line, got.Column, tc.col)
			}
		})
	}
}

func TestRenamedFrom(t *testing.T) {
	bp := parseOK(t, `blueprint: shop
resources:
  jobs:
    kind: queue
    renamed_from: orders
  tasks:
    kind: queue
    renamed_from: [work, todo]
  mail:
    kind: queue
`)
	got := map[string][]string{}
	original := map[string]string{}
	for _, r := range bp.Resources {
		got[r.Name] = r.RenamedFrom
		original[r.Name] = r.OriginalName()
	}
	want := map[string][]string{"jobs": {"orders"}, "tasks": {"work", "todo"}, "mail": nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("renamed_from (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"jobs": "orders", "tasks": "work", "mail": "mail"}, original); diff != "" {
		t.Errorf("original names (-want +got):\n%s", diff)
	}
}

func TestRenamedReferenceNamesTheNewName(t *testing.T) {
	src := "blueprint: shop\nresources:\n  jobs:\n    kind: queue\n    renamed_from: orders\n  f:\n    kind: function\n    runtime: go\n    source: fn\n    env: {Q: \"${orders.url}\"}\n"
	_, ds := Parse(filepath.Join("testdata", "errors", "inline.yaml"), []byte(src))
	if len(ds) != 1 || ds[0].Detail != "orders was renamed to jobs; refer to it by its new name" {
		t.Fatalf("got %v", ds)
	}
}

// TestValidNameMatchesPattern: the hand-written name check accepts
// exactly what namePattern does.
func TestValidNameMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(namePattern)
	for _, s := range []string{"", "a", "z9", "orders", "orders-db", "a-b-c", "-a", "a-", "A", "aB", "9a", "a_b", "a.b", "a--b", "é", "a b", "orders-db-", "x1-2"} {
		if got, want := validName(s), re.MatchString(s); got != want {
			t.Errorf("validName(%q) = %v, namePattern says %v", s, got, want)
		}
	}
}

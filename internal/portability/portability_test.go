package portability

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

var update = flag.Bool("update", os.Getenv("SKYFORM_UPDATE_GOLDEN") != "", "rewrite golden files")

// TestGolden reports every example on every cloud and compares the text
// and Markdown reports with testdata/golden/<example>.txt and .md. Run
// with -update (or SKYFORM_UPDATE_GOLDEN=1) to rewrite them.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(dirs) < 4 {
		t.Fatalf("want at least four examples, found %d (%v)", len(dirs), err)
	}
	golden, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range dirs {
		dir, err := filepath.Abs(filepath.Dir(file))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			// Run from the example's directory, so positions read skyform.yaml:L:C.
			t.Chdir(dir)
			rep := analyze(t, load(t, "skyform.yaml"))
			var text, md bytes.Buffer
			if err := rep.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			compare(t, filepath.Join(golden, name+".txt"), text.String())
			compare(t, filepath.Join(golden, name+".md"), md.String())
		})
	}
}

func compare(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/portability -update)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s changed (-want +got):\n%s", filepath.Base(golden), d)
	}
}

func load(t *testing.T, file string) *blueprints.Blueprint {
	t.Helper()
	bp, ds, err := blueprints.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("blueprint does not parse: %v", ds)
	}
	return bp
}

func analyze(t *testing.T, bp *blueprints.Blueprint) *Report {
	t.Helper()
	rep, err := Analyze(bp, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// parse writes a blueprint with a function source beside it and loads it.
func parse(t *testing.T, src string) *blueprints.Blueprint {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c): pass\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "skyform.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, file)
}

// TestStatuses: what each cloud's compile says decides the cell, on the
// feature the diagnostic points at.
func TestStatuses(t *testing.T) {
	bp := parse(t, `blueprint: shop
cloud: aws
region: us-east
resources:
  jobs:
    kind: queue
  long-report:
    kind: function
    runtime: python3.12
    source: ./fn
    handler: main.handler
    timeout: 30m
    triggers:
      - queue: jobs
    overrides:
      aws: {reserved_concurrent_executions: 5}
`)
	rep := analyze(t, bp)
	tests := []struct {
		resource, feature string
		want              map[blueprints.Cloud]Status
		note              string
	}{
		// Lambda stops a function after 15 minutes.
		{"long-report", "timeout", map[blueprints.Cloud]Status{blueprints.AWS: Unsupported}, "timeout 30m is not supported on aws"},
		// Lambda refuses a queue that hides a message for less than the timeout.
		{"long-report", "triggers[0]", map[blueprints.Cloud]Status{blueprints.AWS: Unsupported, blueprints.GCP: Approximated}, "queue visibility timeout shorter than the function timeout"},
		// Defaults are judged too: no dead letter written, and Service Bus always has one.
		{"jobs", "dead_letter", map[blueprints.Cloud]Status{blueprints.AWS: Exact, blueprints.Azure: Approximated}, "no dead letter approximated on azure"},
		{"long-report", "overrides.aws", map[blueprints.Cloud]Status{blueprints.AWS: Exact, blueprints.GCP: Approximated, blueprints.Azure: Approximated}, "aws overrides not carried to gcp"},
		{"jobs", "", map[blueprints.Cloud]Status{blueprints.AWS: Exact, blueprints.GCP: Exact, blueprints.Azure: Exact}, ""},
		{BlueprintRow, "region", map[blueprints.Cloud]Status{blueprints.AWS: Exact, blueprints.GCP: Exact, blueprints.Azure: Exact}, ""},
	}
	for _, tt := range tests {
		row := find(rep, tt.resource, tt.feature)
		if row == nil {
			t.Errorf("no row for %s %q", tt.resource, tt.feature)
			continue
		}
		var notes []string
		for c, want := range tt.want {
			cell := row.Cell(c)
			if cell.Status != want {
				t.Errorf("%s %q on %s: %s, want %s (%v)", tt.resource, tt.feature, c, cell.Status, want, cell.Notes)
			}
			for _, n := range cell.Notes {
				notes = append(notes, n.Summary)
			}
		}
		if tt.note != "" && !strings.Contains(strings.Join(notes, "\n"), tt.note) {
			t.Errorf("%s %q: notes %q lack %q", tt.resource, tt.feature, notes, tt.note)
		}
	}
	aws := rep.Scores[0]
	if aws.Cloud != blueprints.AWS || aws.Unsupported != 2 || aws.Total != len(rep.Rows) || aws.Exact+aws.Approximated+aws.Unsupported != aws.Total {
		t.Errorf("aws score %+v over %d rows", aws, len(rep.Rows))
	}
	if !strings.Contains(aws.Line(), "2 unsupported") {
		t.Errorf("score line %q", aws.Line())
	}
}

func find(rep *Report, resource, feature string) *Row {
	for i := range rep.Rows {
		if rep.Rows[i].Resource == resource && rep.Rows[i].Feature == feature {
			return &rep.Rows[i]
		}
	}
	return nil
}

// TestFeatureOf: a field path is cut to the feature it belongs to, with
// triggers, environment variables and node pools one feature each.
func TestFeatureOf(t *testing.T) {
	for in, want := range map[string]string{
		"ordering":                   "ordering",
		"dead_letter.max_deliveries": "dead_letter",
		"triggers[1].batch_size":     "triggers[1]",
		"triggers":                   "triggers",
		"env.DB_HOST":                "env.DB_HOST",
		"node_pools.spot-pool.size":  "node_pools.spot-pool",
		"":                           "",
	} {
		if got := featureOf(in); got != want {
			t.Errorf("featureOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOneCloud: --cloud narrows the report to that cloud's column.
func TestOneCloud(t *testing.T) {
	bp := parse(t, "blueprint: q\ncloud: aws\nregion: us-east\nresources:\n  jobs: {kind: queue, ordering: fifo}\n")
	rep, err := Analyze(bp, Options{Clouds: []blueprints.Cloud{blueprints.GCP}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	if len(rep.Scores) != 1 || rep.Scores[0].Cloud != blueprints.GCP || strings.Contains(string(b), `"aws"`) {
		t.Errorf("report for gcp alone: %s", b)
	}
	if row := find(rep, "jobs", "ordering"); row == nil || row.Cells[0].Status != Approximated {
		t.Errorf("fifo ordering on gcp: %+v", row)
	}
}

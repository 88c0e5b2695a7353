package blueprints

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/internal/diagtest"
)

func TestUsageBlock(t *testing.T) {
	bp, ds := Parse("testdata/usage/skyform.yaml", []byte(`blueprint: shop
resources:
  work:
    kind: function
    runtime: python3.12
    source: ./fn
    usage: {requests: 5000000, duration_ms: 120}
  platform:
    kind: cluster
    node_pools: {general: {min: 2, max: 6}}
    usage: {nodes: {general: 4}}
`))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	u := bp.Resource("work").Usage
	if u.Requests != 5_000_000 || u.DurationMS != 120 || !u.Set("requests") || u.Set("messages") {
		t.Errorf("function usage = %+v", u)
	}
	if r := u.Fields["duration_ms"]; r.Start.Line != 7 || r.Start.Column != 32 {
		t.Errorf("duration_ms at %v, want 7:32", r)
	}
	p := bp.Resource("platform").Usage
	if d := cmp.Diff(map[string]int{"general": 4}, p.Nodes); d != "" || !p.Set("nodes.general") {
		t.Errorf("nodes (-want +got):\n%s", d)
	}
	if bp.Resource("platform").Usage.Set("hours") {
		t.Error("hours set without being written")
	}
}

// A usage file's mistakes are diagnostics at file:line:column, each on
// the line marked in testdata/usage/bad-usage.yaml.
func TestParseUsageErrors(t *testing.T) {
	bp, ds, err := Load("testdata/usage/skyform.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	file := "testdata/usage/bad-usage.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, ds = ParseUsage(file, src, bp)
	diagtest.Check(t, file, src, ds)
	for _, d := range ds {
		if d.Summary == `unknown resource "platfrom"` && !strings.Contains(d.Detail, `did you mean "platform"?`) {
			t.Errorf("no suggestion: %s", d.Detail)
		}
	}
}

func TestParseUsage(t *testing.T) {
	bp, ds, err := Load("testdata/usage/skyform.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	u, ds := ParseUsage("u.yaml", []byte("resources:\n  jobs: {messages: 7, message_kb: 3}\n"), bp)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if j := u["jobs"]; j == nil || j.Messages != 7 || j.MessageKB != 3 {
		t.Errorf("usage = %+v", u["jobs"])
	}
	if _, ds := ParseUsage("u.yaml", []byte("resources: [1]\n"), bp); !ds.HasErrors() {
		t.Error("a list of resources was accepted")
	}
	if _, ds := ParseUsage("u.yaml", []byte("resources:\n  jobs: {\n"), bp); !ds.HasErrors() || ds[0].Range.Start.Line == 0 {
		t.Errorf("malformed YAML: %v", ds)
	}
}

package blueprints

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// bigBlueprint writes a blueprint whose resources block is over splitAbove,
// each entry written by entry(i).
func bigBlueprint(n int, entry func(i int) string, tail string) string {
	var b strings.Builder
	b.WriteString("# a large blueprint\nblueprint: big\nregion: europe-west\nresources:\n")
	for i := range n {
		b.WriteString(entry(i))
	}
	b.WriteString(tail)
	return b.String()
}

// sameTree reports where two YAML trees differ in what blueprints read
// (kind, style, tag, value, anchor, position, children, alias targets),
// comments aside.
func sameTree(t *testing.T, path string, a, b *yaml.Node) {
	t.Helper()
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		t.Fatalf("%s: chunked %+v, whole %+v", path, *a, *b)
	}
	if (a.Alias == nil) != (b.Alias == nil) {
		t.Fatalf("%s: alias differs", path)
	}
	if a.Alias != nil && (a.Alias.Line != b.Alias.Line || a.Alias.Column != b.Alias.Column) {
		t.Fatalf("%s: alias to %d:%d, whole parse to %d:%d", path, a.Alias.Line, a.Alias.Column, b.Alias.Line, b.Alias.Column)
	}
	for i := range a.Content {
		sameTree(t, fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i])
	}
}

func TestChunkedParseMatchesWholeParse(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	cases := map[string]string{
		"flow entries": bigBlueprint(2000, func(i int) string {
			return fmt.Sprintf("  jobs-%d: {kind: queue}\n  worker-%d: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs-%d}]}\n", i, i, i)
		}, ""),
		"block entries, comments, block scalars and keys after the block": bigBlueprint(700, func(i int) string {
			return fmt.Sprintf(`
# queue %[1]d
  q-%[1]d:   # trailing comment
    kind: queue
    ordering: fifo
    dead_letter:
      max_deliveries: 5
  f-%[1]d:
    kind: function
    runtime: nodejs22
    source: ./fn
    env:
      NOTE: |
        line one
        line two
      URL: "${q-%[1]d.url}"
    triggers:
      - queue: q-%[1]d
`, i)
		}, "labels:\n  team: big\n"),
		"multi-line flow values and anchors inside an entry": bigBlueprint(800, func(i int) string {
			return fmt.Sprintf("  db-%[1]d: {kind: database, engine: postgres,\n    size: small}\n  f-%[1]d:\n    kind: function\n    runtime: python3.12\n    source: fn\n    env: &env%[1]d {A: '1'}\n    overrides: {aws: {environment: *env%[1]d}}\n", i)
		}, ""),
		"windows line endings": strings.ReplaceAll(bigBlueprint(1500, func(i int) string {
			return fmt.Sprintf("  jobs-%d: {kind: queue}\n", i)
		}, "labels: {a: b}\n"), "\n", "\r\n"),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var whole yaml.Node
			if err := yaml.Unmarshal([]byte(src), &whole); err != nil {
				t.Fatal(err)
			}
			got, ok := parseChunked([]byte(src))
			if !ok {
				t.Fatal("not parsed in pieces")
			}
			sameTree(t, "", got, whole.Content[0])
		})
	}
}

// TestChunkedParseDeclines lists what must be parsed whole: a cut there
// would change the meaning or hide an error.
func TestChunkedParseDeclines(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	queues := func(i int) string { return fmt.Sprintf("  jobs-%d: {kind: queue}\n", i) }
	cases := map[string]string{
		"small":                   bigBlueprint(10, queues, ""),
		"anchor before the block": "defaults: &q {kind: queue}\n" + bigBlueprint(2000, func(i int) string { return fmt.Sprintf("  jobs-%d: *q\n", i) }, ""),
		"anchor used far away": bigBlueprint(2000, func(i int) string {
			switch i {
			case 0:
				return "  first: &first {kind: queue}\n"
			case 1999:
				return "  last: *first\n"
			}
			return queues(i)
		}, ""),
		"flow mapping":        "blueprint: big\nresources: {" + strings.Repeat("a: {kind: queue}, ", 3000) + "}\n",
		"document marker":     "---\n" + bigBlueprint(2000, queues, ""),
		"second document":     bigBlueprint(2000, queues, "---\nblueprint: other\n"),
		"sequence":            "blueprint: big\nresources:\n" + strings.Repeat("  - {kind: queue}\n", 3000),
		"syntax error":        bigBlueprint(2000, func(i int) string { return strings.Replace(queues(i), "}", "", i/1500) }, ""),
		"flow value cut open": bigBlueprint(2000, func(i int) string { return fmt.Sprintf("  jobs-%d: {kind: queue,\n  ordering: fifo}\n", i) }, ""),
		"two resources keys":  bigBlueprint(2000, queues, "resources:\n  more: {kind: queue}\n"),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if _, ok := parseChunked([]byte(src)); ok {
				t.Fatal("parsed in pieces")
			}
		})
	}
}

// TestParallelDecodeMatchesSerial decodes a large blueprint with errors and
// warnings in several of its parts on one core and on two: the resources
// and the diagnostics must be the same.
func TestParallelDecodeMatchesSerial(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := bigBlueprint(1200, func(i int) string {
		switch i {
		case 100:
			return "  bad-kind: {kind: queeu}\n"
		case 700:
			return "  jobs-700: {kind: queue, colour: blue}\n"
		case 1100:
			return "  worker-1100: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: nowhere}]}\n"
		}
		return fmt.Sprintf("  jobs-%d: {kind: queue}\n  worker-%d: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs-%d}], env: {Q: '${jobs-%d.url}'}}\n", i, i, i, i)
	}, "")
	file := filepath.Join(dir, "skyform.yaml")
	decode := func(procs int) (*Blueprint, string) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bp, ds := Parse(file, []byte(src))
		var b strings.Builder
		for _, d := range ds {
			fmt.Fprintln(&b, d.Error())
		}
		return bp, b.String()
	}
	serial, serialDs := decode(1)
	parallel, parallelDs := decode(2)
	if serialDs != parallelDs {
		t.Fatalf("diagnostics differ:\n%s", cmp.Diff(serialDs, parallelDs))
	}
	for _, want := range []string{`unknown kind "queeu"`, `unknown field "colour"`, "nowhere"} {
		if !strings.Contains(serialDs, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, serialDs)
		}
	}
	if len(serial.Resources) != len(parallel.Resources) || len(serial.Resources) < 2000 {
		t.Fatalf("%d resources on one core, %d on two", len(serial.Resources), len(parallel.Resources))
	}
	for i := range serial.Resources {
		if d := cmp.Diff(serial.Resources[i], parallel.Resources[i]); d != "" {
			t.Fatalf("resource %s differs:\n%s", serial.Resources[i].Name, d)
		}
	}
}

// FuzzChunkedParse builds a large resources block from a fuzzed entry
// (repeated under distinct names, with a fuzzed line between resources and
// the block's end) and checks that whenever parseChunked accepts the
// file, its tree is the whole parse's; when the whole parse fails,
// parseChunked must not accept it.
func FuzzChunkedParse(f *testing.F) {
	for _, seed := range [][2]string{
		{"{kind: queue}", ""},
		{"\n    kind: function\n    env: {A: \"x\"}\n", "labels: {a: b}"},
		{"{kind: queue,\n  ordering: fifo}", ""},
		{"|\n    text\n", "# end"},
		{"&a {kind: queue}", "x: *a"},
		{"'it''s'", "---"},
		{"{kind: queue} # note", "\tbad: tab"},
		{"[1, 2,\n3]", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	f.Fuzz(func(t *testing.T, entry, tail string) {
		if len(entry) > 200 || len(tail) > 200 {
			return
		}
		src := bigBlueprint(splitAbove/(len(entry)+8)+200, func(i int) string {
			return fmt.Sprintf("  r%d: %s\n", i, entry)
		}, tail+"\n")
		got, ok := parseChunked([]byte(src))
		var whole yaml.Node
		err := yaml.Unmarshal([]byte(src), &whole)
		if !ok {
			return
		}
		if err != nil || len(whole.Content) != 1 {
			t.Fatalf("parsed in pieces, but the whole parse fails: %v", err)
		}
		sameTree(t, "", got, whole.Content[0])
	})
}

package diag

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestAppendJSONMatchesMarshal holds the hand-written encoding to
// json.Marshal's for diagnostics with every field set, left empty, and
// with strings needing every kind of escape.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	rng := Range{File: "dir/skyform.yaml", Start: Pos{Line: 12, Column: 3}}
	for name, ds := range map[string]Diagnostics{
		"nil":   nil,
		"empty": {},
		"every field": {{Severity: Error, Summary: "unknown kind \"qeue\"", Detail: "did you mean \"queue\"? allowed: queue, function", Path: "resources.orders.kind", Range: rng,
			Related: []Related{{Message: "declared here", Range: Range{File: "template.yaml", Start: Pos{Line: 1, Column: 1}}}, {Message: "and here", Range: rng}}}},
		"bare":   {{Severity: Warning, Summary: "s"}, nil, {Severity: Severity(7), Summary: ""}},
		"escape": {{Summary: "<b> & \t\n\r\x00\x1f \u2028 \u2029 é 日本 \xff\xfe", Detail: `back\slash "q" ${x} %{y}`, Path: "a.b[0]", Range: Range{File: "ü.yaml", Start: Pos{Line: -1}}}},
	} {
		want, err := json.Marshal(ds)
		if err != nil {
			t.Fatal(err)
		}
		if got := ds.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("%s: AppendJSON =\n%s\nwant\n%s", name, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "<>&", "\"\\", "\x00\u2028é\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestFormatIsSprintf holds the detail's formatting to fmt.Sprintf, with
// and without arguments and verbs.
func TestFormatIsSprintf(t *testing.T) {
	for _, c := range []struct {
		f    string
		args []any
	}{
		{"plain text", nil}, {"100%% sure", nil}, {"a %s b", nil}, {"%d MB", []any{256}}, {"", nil}, {"no verbs", []any{1}},
		{"%q is %s, %d and %d%%", []any{"a\"b\n\x00é", "s", -3, int64(1 << 40)}}, {"%s", []any{"x", "extra"}}, {"%s %s", []any{"one"}},
		{"%v %x %5d %-s %+q %#q", []any{1, 2, 3, "a", "b", "c"}}, {"%d", []any{"not a number"}}, {"%s", []any{42}}, {"%q", []any{int64(7)}},
		{"trailing %", []any{1}}, {"%s", []any{nil}}, {"%d", []any{3.5}}, {"%q", []any{"\u2028 \xff"}},
	} {
		if got, want := format(c.f, c.args), fmt.Sprintf(c.f, c.args...); got != want {
			t.Errorf("format(%q, %v) = %q, want %q", c.f, c.args, got, want)
		}
	}
}

func FuzzFormat(f *testing.F) {
	f.Add("%q is %s, %d%%", "name", 12)
	f.Add("%s%", "", 0)
	f.Fuzz(func(t *testing.T, format_ string, s string, n int) {
		for _, args := range [][]any{{s, n}, {n, s}, {s}, {}} {
			if got, want := format(format_, args), fmt.Sprintf(format_, args...); got != want {
				t.Errorf("format(%q, %v) = %q, want %q", format_, args, got, want)
			}
		}
	})
}

// TestSortIsStableByPosition: by file, line and column, diagnostics at
// one position keeping their order, whether or not they came sorted.
func TestSortIsStableByPosition(t *testing.T) {
	at := func(file string, line, col int, summary string) *Diagnostic {
		return &Diagnostic{Summary: summary, Range: Range{File: file, Start: Pos{Line: line, Column: col}}}
	}
	ds := Diagnostics{at("b.yaml", 1, 1, "b1"), at("a.yaml", 9, 2, "a92"), at("a.yaml", 9, 1, "first"), at("a.yaml", 9, 1, "second"), at("a.yaml", 10, 1, "a10"), at("a.yaml", 9, 1, "third")}
	ds.Sort()
	var got []string
	for _, d := range ds {
		got = append(got, d.Summary)
	}
	if want := "first second third a92 a10 b1"; strings.Join(got, " ") != want {
		t.Errorf("sorted: %s, want %s", strings.Join(got, " "), want)
	}
	ds.Sort() // already sorted: unchanged
	for i, d := range ds {
		if d.Summary != got[i] {
			t.Errorf("sorting again moved %s", d.Summary)
		}
	}
}

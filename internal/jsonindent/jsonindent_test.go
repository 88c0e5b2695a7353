package jsonindent

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type report struct {
	Name   string            `json:"name"`
	Valid  bool              `json:"valid"`
	Count  int               `json:"count,omitempty"`
	Ratio  float64           `json:"ratio"`
	Items  []item            `json:"items"`
	Empty  []int             `json:"empty"`
	None   map[string]int    `json:"none"`
	Labels map[string]string `json:"labels,omitempty"`
	Raw    json.RawMessage   `json:"raw,omitempty"`
	Any    any               `json:"any"`
}

type item struct {
	Summary string `json:"summary"`
	Detail  string `json:"detail,omitempty"`
	At      *pos   `json:"at,omitempty"`
}

type pos struct{ Line, Column int }

var values = []any{
	nil, true, 0, -1.5e300, "", "plain", `quote " backslash \ slash / tab 	 nl
 <html> & ünï ${x} \u2028`,
	[]any{}, map[string]any{}, []any{[]any{}, map[string]any{}, []any{1, []any{2}}},
	map[string]any{"b": 1, "a": []string{"x", "y"}, "c": map[string]any{"d": nil}},
	report{Name: "orders", Valid: true, Ratio: 0.25, Items: []item{
		{Summary: `a "quoted" summary`, Detail: "line one\nline two", At: &pos{3, 7}},
		{Summary: "no detail"},
	}, Empty: []int{}, Labels: map[string]string{"team": "x", "": "empty key"}, Raw: json.RawMessage(` { "k" : [ 1 , 2 ] } `), Any: []any{"s", 1, false}},
	&report{},
	[]report{{}, {Items: []item{}}},
}

// TestMarshalMatchesEncodingJSON holds Marshal and Write to the bytes
// encoding/json's indenting gives for the same values.
func TestMarshalMatchesEncodingJSON(t *testing.T) {
	for _, v := range values {
		want, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Marshal(%#v) =\n%s\nwant\n%s", v, got, want)
		}
		var enc, w bytes.Buffer
		e := json.NewEncoder(&enc)
		e.SetIndent("", "  ")
		if err := e.Encode(v); err != nil {
			t.Fatal(err)
		}
		if err := Write(&w, v); err != nil {
			t.Fatal(err)
		}
		if w.String() != enc.String() {
			t.Errorf("Write(%#v) =\n%s\nwant\n%s", v, w.String(), enc.String())
		}
	}
}

// countingWriter counts the writes it is given.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestWriteInChunks holds Write to the encoder's bytes on a report that it
// writes in several pieces, strings and nesting running across them.
func TestWriteInChunks(t *testing.T) {
	var v report
	for i := range 5000 {
		v.Items = append(v.Items, item{Summary: strings.Repeat(`"a" \ summary `, i%7), Detail: "detail", At: &pos{i, 3}})
	}
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetIndent("", "  ")
	if err := e.Encode(v); err != nil {
		t.Fatal(err)
	}
	var w countingWriter
	if err := Write(&w, v); err != nil {
		t.Fatal(err)
	}
	if w.writes < 3 {
		t.Errorf("Write wrote %d bytes in %d writes, want them in chunks of %d", w.Len(), w.writes, chunk)
	}
	if w.String() != enc.String() {
		t.Errorf("Write in chunks differs from the encoder (%d bytes, want %d)", w.Len(), enc.Len())
	}
}

// failingWriter fails every write.
type failingWriter struct{ writes int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	return 0, errors.New("disk full")
}

// TestWriteStopsAtFirstError: a failed write is returned and nothing more
// is written after it.
func TestWriteStopsAtFirstError(t *testing.T) {
	var v report
	for i := range 5000 {
		v.Items = append(v.Items, item{Summary: "summary", At: &pos{i, 3}})
	}
	var w failingWriter
	if err := Write(&w, v); err == nil || err.Error() != "disk full" || w.writes != 1 {
		t.Errorf("Write to a failing writer: err %v after %d writes, want disk full after 1", err, w.writes)
	}
}

func TestMarshalError(t *testing.T) {
	if _, err := Marshal(map[string]any{"f": func() {}}); err == nil {
		t.Error("Marshal accepted a function")
	}
	var w bytes.Buffer
	if err := Write(&w, make(chan int)); err == nil || w.Len() != 0 {
		t.Errorf("Write of a channel: err %v, wrote %q", err, w.String())
	}
}

// FuzzIndent holds indent to json.Indent on any valid JSON, compacted as
// json.Marshal writes it.
func FuzzIndent(f *testing.F) {
	for _, v := range values {
		b, _ := json.Marshal(v)
		f.Add(b)
	}
	f.Add([]byte(`{"a\"b":"\\","c":[{},[],{"d":[null]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if !json.Valid(in) {
			return
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, in); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indent(nil, compact.Bytes(), nil); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("indent(%s) =\n%s\nwant\n%s", compact.Bytes(), got, want.Bytes())
		}
	})
}

func BenchmarkIndent(b *testing.B) {
	var items []item
	for i := range 40000 {
		items = append(items, item{Summary: "memory approximated on azure", Detail: strings.Repeat("Flex Consumption instances have 2048 or 4096 MB; ", 3), At: &pos{i, 3}})
	}
	v := report{Name: "bench", Items: items}
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			var w bytes.Buffer
			e := json.NewEncoder(&w)
			e.SetIndent("", "  ")
			_ = e.Encode(v)
		}
	})
	b.Run("jsonindent", func(b *testing.B) {
		for b.Loop() {
			var w bytes.Buffer
			_ = Write(&w, v)
		}
	})
}

package blueprints

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// parseV3 is the reference: yaml.v3's tree for a file holding exactly one
// non-empty document, comments cleared.
func parseV3(src []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("not one document: %v", err)
	}
	if len(doc.Content) != 1 {
		return nil, errors.New("empty document")
	}
	clearComments(doc.Content[0])
	return doc.Content[0], nil
}

func clearComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		clearComments(c)
	}
}

// treeDiff describes the first node where got and want differ, by its
// path of child indexes, or returns "" when they are equal in every field.
func treeDiff(path string, got, want *yaml.Node) string {
	if path == "" {
		path = "/"
	}
	g, w := got, want
	if g.Kind != w.Kind || g.Style != w.Style || g.Tag != w.Tag || g.Value != w.Value || g.Anchor != w.Anchor || g.Alias != w.Alias ||
		g.Line != w.Line || g.Column != w.Column || len(g.Content) != len(w.Content) ||
		g.HeadComment != w.HeadComment || g.LineComment != w.LineComment || g.FootComment != w.FootComment {
		return fmt.Sprintf("at %s:\n fast   %s\n yaml.v3 %s", path, nodeString(got), nodeString(want))
	}
	for i := range got.Content {
		if d := treeDiff(fmt.Sprintf("%s%d/", strings.TrimSuffix(path, "/")+"/", i), got.Content[i], want.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

func nodeString(n *yaml.Node) string {
	return fmt.Sprintf("{Kind:%d Style:%d Tag:%q Value:%q Anchor:%q Alias:%v Line:%d Column:%d children:%d head:%q line:%q foot:%q}",
		n.Kind, n.Style, n.Tag, n.Value, n.Anchor, n.Alias != nil, n.Line, n.Column, len(n.Content), n.HeadComment, n.LineComment, n.FootComment)
}

// checkFast holds parseFast to yaml.v3 on src: whatever it accepts must be
// yaml.v3's tree. It reports whether parseFast accepted src.
func checkFast(t *testing.T, src []byte) bool {
	t.Helper()
	got, ok := parseFast(src)
	if !ok {
		return false
	}
	want, err := parseV3(src)
	if err != nil {
		t.Fatalf("parseFast accepted what yaml.v3 rejects (%v):\n%s", err, src)
	}
	if d := treeDiff("", got, want); d != "" {
		t.Fatalf("trees differ %s\ninput:\n%s", d, src)
	}
	return true
}

// repoYAML lists the YAML files of the repository that a blueprint,
// policy, usage or template parse may see.
func repoYAML(t *testing.T) []string {
	var files []string
	for _, root := range []string{"../examples", "testdata", "policy/testdata", "templates", "../internal/compiler/testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// fastCases are inputs parseFast must accept, each a construct of the
// subset or an edge of one.
var fastCases = map[string]string{
	"flat mapping":                   "a: b\nc: d\n",
	"no final newline":               "a: b\nc: d",
	"nested mapping":                 "a:\n  b: c\n  d:\n    e: f\ng: h\n",
	"deeper indentation":             "a:\n     b: c\n     d: e\n",
	"root indented":                  "  a: b\n  c: d\n",
	"trailing comments":              "a: b # note\nc: 'd' # note\ne: [f] # note\ng: # note\n  h: i\n",
	"comment lines":                  "# head\n\na: b\n  # indented comment\n# at zero\nc: d\n\n# tail\n",
	"hash inside scalars":            "a: b#c\nd: e#f # g\nh: '#'\ni: \"#x\"\nj: {k: l#m}\n",
	"colon inside scalars":           "url: http://x.example/a?b=c\nt: 12:30\nr: a:b:c\nd: {u: http://x}\ne: [a:b]\n",
	"null values":                    "a:\nb: ~\nc: null\nd: Null\ne:\n",
	"null before dedent":             "a:\n  b:\nc: d\n",
	"null before dedent at end":      "a:\n  b:\n",
	"null before dedent, no eol":     "a:\n  b:",
	"null at end, no eol":            "a: b\nc:",
	"null at end, blank lines":       "a: b\nc:\n\n\n",
	"null at end, trailing blanks":   "a: b\nc:\n   ",
	"null before sibling comment":    "a:\n# c\nb: d\n",
	"null key spaces":                "a:    \nb: c\n",
	"empty strings":                  "a: \"\"\nb: ''\n",
	"numbers bools":                  "i: 1\nn: -2\nf: 1.5\ne: 1e3\nh: 0x1F\no: 0o17\nu: 1_000\ninf: .inf\nnan: .NaN\nt: true\nf2: False\ny: yes\nno: no\non: on\ntime: 2001-12-14\nts: 2001-12-14t21:59:43.10-05:00\nv: \"16\"\nplus: +1\n",
	"merge key":                      "a: {x: 1}\nb:\n  <<: {y: 2}\n  '<<': z\n  <a: <<b\n",
	"keys with spaces and quotes":    "my key: v\n'quoted key': v\n\"double key\": v\n\"\": empty\nit's: ok\na b c: d e f\n",
	"space before colon":             "a : b\n\"c\" : d\n",
	"single quotes":                  "a: 'it''s'\nb: ''''\nc: 'x \"y\" z'\nd: '\\n'\n",
	"double quotes":                  "a: \"say \\\"hi\\\"\"\nb: \"tab\\tnl\\n\\\\ \\0\\a\\b\\v\\f\\r\\e\\ \\'\"\nc: \"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\"\n",
	"block sequence":                 "a:\n  - b\n  - c\nd: e\n",
	"indentless sequence":            "a:\n- b\n- c\nd: e\n",
	"indentless then key":            "a:\n- b\nc:\n- d\n",
	"sequence of mappings":           "a:\n  - b: c\n    d: e\n  - f: g\n",
	"indentless sequence of maps":    "a:\n- b: c\n  d: e\n- f: g\nh: i\n",
	"root sequence":                  "- a\n- b: c\n- [d]\n- {e: f}\n",
	"nested sequences":               "- - a\n  - b\n- - c\n",
	"wide compact":                   "-   a: b\n    c: d\n-    e\n",
	"empty items":                    "-\n- a\n-\n",
	"empty item then nested":         "-\n  a: b\n- \n  - c\n",
	"empty item comment":             "- # c\n- a\n",
	"empty value in compact map":     "- a:\n  b: c\n",
	"empty value before dash":        "- a:\n- b\n",
	"value on next line":             "a:\n  b\nc:\n  'd'\ne:\n  [f]\n",
	"flow mapping":                   "jobs-1: {kind: queue, labels: {a: b}, triggers: [{queue: jobs-0}]}\n",
	"flow sequence":                  "a: [b, 'c', \"d\", 1, true, [e, f], {g: h}]\n",
	"empty flow":                     "a: {}\nb: []\nc: [{}, []]\nd: { }\n",
	"flow spacing":                   "a: { b: c ,d: e }\nf: [ g , h ]\n",
	"flow trailing comma":            "a: {b: c,}\nd: [e, f,]\n",
	"flow empty value":               "a: {b: , c: d}\ne: {f: }\n",
	"flow quoted keys":               "a: {\"b\": c, 'd': e}\nf: {\"g\":h}\n",
	"flow plain with spaces":         "a: {b c: d e, f: g h}\nh: [i j, k l]\n",
	"flow dash scalars":              "a: [-1, -x]\n",
	"root flow mapping":              "{a: b, c: [d]}\n",
	"root flow sequence":             "[a, b]\n",
	"root scalar":                    "hello\n",
	"root quoted":                    "'hello'\n",
	"duplicate keys":                 "a: b\na: c\n",
	"long key":                       strings.Repeat("k", 900) + ": v\n",
	"dashes and dots in scalars":     "a: --x\nb: ..y\n",
	"minus scalar":                   "a: -b\n-c: d\n",
	"backslash in plain":             "a: b\\c\n",
	"quote inside plain":             "a: b'c\"d\n",
	"interpolations":                 "env:\n  URL: ${q.url}\n  B: \"${db.host}:${db.port}\"\n",
	"null before dedent comment":     "a:\n  b:\n  # c\nd: e\n",
	"null at end comment":            "a: b\nc:\n# c\n",
	"trailing comment null":          "a:\n  b: # c\nd: e\n",
	"non-ascii":                      "a: caf\u00e9\nb: {\u043a\u043b\u044e\u0447: \u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435, x: [\u00e9, \u00fc]}\n'\u00fc': '\u00f6'\n\"\u65e5\u672c\": \u8a9e # \u30b3\u30e1\u30f3\u30c8\n\u00e9\u00e9: \U0001F600 {x}\nr: \ufffd\n",
	"non-ascii keys then values":     "- \u00e9: [\u00e9, {\u00e9: \u00e9}]\n  \u00e9\u00e9:\n- \u00fc\n",
	"comment dedented inside block":  "a:\n  b: c\n # x\n  d: e\n",
	"comment between items":          "- a\n# c\n- b\n",
	"trailing spaces":                "a: [b, c]  \nd: 'e'  \nf: g  \n",
	"comment after key, then items":  "a:   # c\n  - b\n",
	"empty last item":                "a:\n  - b\n  -\n",
	"compact nesting three deep":     "- - - a\n    - b\n",
	"blank lines first":              "\n   \na: b\n",
	"dash alone in flow":             "a: {b: -}\nc: [-]\n",
	"flow without spaces":            "a: [b,c]\nd: {e: f,g: h}\n",
	"colon inside flow plain":        "a: [a b, c:d, e]\n",
	"wide dash":                      "a:\n -  b\n -  c\n",
	"key colon without space":        "a:#b\n",
	"root scalar with colon":         "a:b\n",
	"comment after scalar indented":  "a: 1\n  # c\nb: 2\n",
	"quoted key space colon in flow": "a: {'b' : c}\n",
	"empty dash items nested":        "- - \n- -\n",
	"nested item after empty dash":   "-\n  - a\n",
	"merge key in flow":              "a: {<<: b}\nc: <<\n",
	"hash inside flow plain":         "a: [a#b]\nc: {b#: c}\n",
	"comment after dash":             "- #\n- b\n",
	"blank lines between items":      "a:\n\n- b\n\n- c\n",
	"blank line with spaces at end":  "a: b\nb: c\n  \n",
	"literal block":                  "a: |\n  line one\n  line two\nb: c\n",
	"literal strip and keep":         "a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: |\n  z\n\n",
	"literal keep at end":            "a: |+\n  x\n\n  \n",
	"literal inner blank lines":      "a: |\n  x\n\n    deeper\n   \n  # not a comment\n  y\n",
	"literal blank lines before":     "a: |\n\n  \n  x\n",
	"literal at end without newline": "a: |\n  x\n  y",
	"literal trailing spaces line":   "a: |\n  x\n     \n",
	"literal with comment after":     "a: | # c\n  x\n# c\nb: |-  # c\n    y\n",
	"literal items":                  "- |\n  x\n- a: |\n    y\n  b: z\n-  |-\n   w\n",
	"literal then dedent":            "a:\n  b: |\n    x\n  c: d\ne: f\n",
	"literal then comment dedented":  "a:\n  b: |\n      x\n    # c\n  c: d\n",
	"literal non-ascii":              "a: |\n  caf\u00e9 \U0001F600\nb: \u00e9\n",
	"literal root":                   "a: |\n x\n",
	"triple dash in line":            "a: ---\nb: ...\n",
}

// TestParseFastMatchesYAMLv3 holds parseFast to yaml.v3 on every YAML file
// of the repository and on a table of the constructs it handles. The
// examples and the table must be accepted, so that a fast path declining
// everything fails here.
func TestParseFastMatchesYAMLv3(t *testing.T) {
	files := repoYAML(t)
	accepted := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ok := checkFast(t, src)
		if ok {
			accepted++
		} else if strings.HasPrefix(file, "../examples/") && filepath.Base(file) == "skyform.yaml" {
			t.Errorf("%s: declined", file)
		}
	}
	t.Logf("parseFast accepts %d of %d repository YAML files", accepted, len(files))
	if len(files) < 30 {
		t.Fatalf("only %d repository YAML files found", len(files))
	}
	for name, src := range fastCases {
		t.Run(name, func(t *testing.T) {
			if !checkFast(t, []byte(src)) {
				if _, err := parseV3([]byte(src)); err != nil {
					t.Fatalf("the case is not valid YAML: %v", err)
				}
				t.Fatalf("declined:\n%s", src)
			}
		})
	}
}

// fastDeclines are inputs parseFast must leave to yaml.v3: constructs
// outside the subset, and invalid YAML.
var fastDeclines = map[string]string{
	"empty":                               "",
	"only comments":                       "# nothing\n\n",
	"document start":                      "---\na: b\n",
	"two documents":                       "a: b\n---\nc: d\n",
	"document end":                        "a: b\n...\n",
	"directive":                           "%YAML 1.2\n---\na: b\n",
	"tab indentation":                     "a:\n\tb: c\n",
	"tab in value":                        "a: b\tc\n",
	"carriage return":                     "a: b\r\nc: d\r\n",
	"bom":                                 "\ufeffa: b\n",
	"control character":                   "a: b\x01\n",
	"anchor":                              "a: &x b\nc: *x\n",
	"alias":                               "a: *x\n",
	"tag":                                 "a: !!str 1\n",
	"folded block":                        "a: >\n  text\n",
	"complex key":                         "? a\n: b\n",
	"flow key":                            "[a, b]: c\n",
	"flow mapping key":                    "{a: b}: c\n",
	"multi-line plain":                    "a: b\n  c\n",
	"multi-line root scalar":              "a\nb\n",
	"multi-line single quote":             "a: 'b\n  c'\n",
	"multi-line double quote":             "a: \"b\n  c\"\n",
	"escaped line break":                  "a: \"b\\\n  c\"\n",
	"multi-line flow":                     "a: {b: c,\n  d: e}\n",
	"multi-line flow sequence":            "a: [b,\n  c]\n",
	"comment in flow":                     "a: [b, # c\n  d]\n",
	"unclosed single quote":               "a: 'b\n",
	"unclosed double quote":               "a: \"b\n",
	"unclosed flow":                       "a: {b: c\n",
	"unclosed flow sequence":              "a: [b, c\n",
	"mapping in value":                    "a: b: c\n",
	"mapping in flow value":               "a: {b: c: d}\n",
	"pair in flow sequence":               "a: [b: c]\n",
	"flow key without value":              "a: {b, c}\n",
	"flow key colon":                      "a: {b:c}\n",
	"bad indentation":                     "a:\n    b: c\n  d: e\n",
	"over-indented key":                   "a: b\n  c: d\n",
	"sequence after scalar":               "a: b\n- c\n",
	"sequence in value":                   "a: - b\n",
	"root sequence then key":              "- a\nb: c\n",
	"dash at end of value":                "a: -\n",
	"unknown escape":                      "a: \"\\q\"\n",
	"slash escape":                        "a: \"\\/\"\n",
	"bad hex escape":                      "a: \"\\xZZ\"\n",
	"surrogate escape":                    "a: \"\\ud800\"\n",
	"after quoted":                        "a: 'b' c\n",
	"hash after quoted":                   "a: 'b'#c\n",
	"key too long":                        strings.Repeat("k", 1100) + ": v\n",
	"reserved at":                         "a: @b\n",
	"reserved backtick":                   "a: `b`\n",
	"percent value":                       "a: %b\n",
	"question value":                      "a: ?b\n",
	"colon value":                         "a: :b\n",
	"deep":                                strings.Repeat("[", 600) + strings.Repeat("]", 600) + "\n",
	"scalar after flow":                   "a: [b] c\n",
	"comment line over-indented then key": "a: b\n  # c\n  d: e\n",
	"sequence under compact key":          "- a: b\n  - c\n",
	"closing bracket too many":            "a: [a, b]]\n",
	"closing brace too many":              "a: {a: b}}\n",
	"empty flow entry":                    "a: [b, , c]\n",
	"empty flow mapping entry":            "a: {b: c,, d: e}\n",
	"comment inside one-line flow":        "a: [b #c]\n",
	"continuation of an item":             "- a\n -b\n",
	"plain continued as key":              "a: b\n \n c: d\n",
	"literal indentation indicator":       "a: |2\n   x\n",
	"literal deeper blank line first":     "a: |\n     \n  x\n",
	"literal empty":                       "a: |\nb: c\n",
	"literal empty at end":                "a: |\n",
	"literal text after indicator":        "a: | x\n  y\n",
	"literal on its own line":             "a:\n  |\n   x\n",
	"literal not indented":                "- a: |\n  x\n",
	"literal dedent to between":           "a: |\n    x\n  b: c\n",
	"literal in flow":                     "a: [|]\n",
	"key without colon":                   "a: b\nc\n",
}

func TestParseFastDeclines(t *testing.T) {
	for name, src := range fastDeclines {
		t.Run(name, func(t *testing.T) {
			if n, ok := parseFast([]byte(src)); ok {
				t.Fatalf("accepted, as %s", nodeString(n))
			}
		})
	}
}

// TestPlainTagFastPath checks plainTag's shortcuts against yaml.v3's own
// resolution: values starting with every printable byte, its words for
// bools and nulls in every case, and numbers around the shortcut's bounds.
func TestPlainTagFastPath(t *testing.T) {
	values := []string{"<<", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null", "NULL", "nULL", "~",
		"yes", "Yes", "no", "No", "on", "off", "Off", "y", "n", "ok", ".inf", ".nan", "+.inf", "-.Inf",
		"0", "00", "0123", "089", "1", "10", "123456789012345678", "1234567890123456789", "99999999999999999999", "1_000", "1e3", "2001-12-14", "1:20",
		"2m", "30s", "4d", "1h30m", "10Gi", "3.12", "1.5e-3", "0x1F", "0o17", "0b101", "1_0", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43Z",
		"2001-12-14t21:59:43.10-05:00", "2001-1-2", "12:30", "0.", "1.", "1e", "9x", "1 2", "0d", "20260101",
		"./fn", "../x", ".5", ".5e3", ".e", "._", ".", "..", ".inF", ".Nan", ".1_0", ".5E+3", ".5e-3.", "-./x", "+1"}
	for c := 0x21; c < 0x7f; c++ {
		for _, rest := range []string{"", "1", "0", "e3", "<", ".5", "rue", "alse", "ull", "ULL", "-12-14", "x", "2345678901234567"} {
			values = append(values, string(rune(c))+rest)
		}
	}
	for _, v := range values {
		want := (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
		if v == "<<" {
			want = "!!merge" // the tag yaml.v3's parser gives the merge key
		}
		if got := plainTag(v); got != want {
			t.Errorf("plainTag(%q) = %s, yaml.v3 %s", v, got, want)
		}
	}
}

// TestParseFastRandomDocuments holds parseFast to yaml.v3 on documents put
// together from the subset's pieces, which reach combinations byte-level
// fuzzing seldom does.
func TestParseFastRandomDocuments(t *testing.T) {
	const n = 20000
	r := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for range n {
		if checkFast(t, []byte(randomDocument(r))) {
			accepted++
		}
	}
	t.Logf("parseFast accepts %d of %d random documents", accepted, n)
	if accepted < n/10 {
		t.Fatalf("only %d of %d random documents accepted", accepted, n)
	}
}

// randomDocument writes up to ten lines of blueprint-like YAML from the
// pieces of the subset, at indentations that mostly follow the line before:
// many are valid, many are not, and some are outside the subset.
func randomDocument(r *rand.Rand) string {
	keys := []string{"a", "b", "kind", "my key", "'q k'", "\"d k\"", "<<", "1", "true", "é", "-x", "a b", "\"\"", "x#y"}
	vals := []string{"v", "1", "-2", "1.5", "true", "~", "null", "'it''s'", "\"d\\n\"", "\"\"", "''", "{a: b}", "[a, {b: c}]", "{}", "[]",
		"http://x", "a#b", "a # c", "<<", "é", "x: y", "-", "--", "{a: }", "[a,]", "{a: b,}", "'a' # c", "2m", "./fn", "${q.url}", "[-1]", "{ a : b }", "[a b]", "é: ü", "\"\\u00e9\"", "0x1F", "2001-12-14", ".5", "a  b"}
	var b strings.Builder
	n := 1 + r.IntN(10)
	ind := 0
	for range n {
		switch r.IntN(6) {
		case 0:
			ind += 2
		case 1:
			ind = max(0, ind-2)
		case 2:
			ind = 0
		case 3:
			ind += 1 + r.IntN(3)
		}
		b.WriteString(strings.Repeat(" ", ind))
		k := keys[r.IntN(len(keys))]
		v := vals[r.IntN(len(vals))]
		switch r.IntN(12) {
		case 0, 1, 2:
			b.WriteString(k + ": " + v)
		case 3, 4:
			b.WriteString(k + ":")
		case 5:
			b.WriteString("- " + v)
		case 6:
			b.WriteString("- " + k + ": " + v)
		case 7:
			b.WriteString("-")
		case 8:
			b.WriteString("# c")
		case 9:
			b.WriteString("- " + k + ":")
		case 10:
			b.WriteString("- - " + v)
		case 11:
			b.WriteString(v)
		}
		if r.IntN(6) == 0 {
			b.WriteString(" # t")
		}
		if r.IntN(8) == 0 {
			b.WriteString([]string{": |", ": |-", ": |+", " |", "- |"}[r.IntN(5)] + "\n")
			for range r.IntN(4) {
				b.WriteString(strings.Repeat(" ", ind+r.IntN(5)) + []string{"text", "", "# t", "a: b", " x "}[r.IntN(5)] + "\n")
			}
		}
		if r.IntN(8) == 0 {
			b.WriteString("  ")
		}
		b.WriteString("\n")
	}
	s := b.String()
	if r.IntN(5) == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// FuzzParseFast holds every input parseFast accepts to yaml.v3: it must
// be valid, one document, and give the same tree.
func FuzzParseFast(f *testing.F) {
	for _, src := range fastCases {
		f.Add([]byte(src))
	}
	for _, src := range fastDeclines {
		f.Add([]byte(src))
	}
	files, _ := filepath.Glob("../examples/*/skyform.yaml")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFast(t, src)
	})
}

// benchInputs are the blueprints the parsers are timed on: 1000 units in
// flow style, the same in block style as the examples write them, and the
// examples themselves.
func benchInputs(b *testing.B) map[string][]byte {
	var flow, block strings.Builder
	flow.WriteString("blueprint: bench\nregion: europe-west\nlabels: {team: bench}\nresources:\n")
	block.WriteString("# a large blueprint\nblueprint: bench\nregion: europe-west\nlabels:\n  team: bench\n\nresources:\n")
	for i := range 500 {
		fmt.Fprintf(&flow, "  jobs-%d: {kind: queue}\n  worker-%d: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs-%d}]}\n", i, i, i)
		fmt.Fprintf(&block, `  jobs-%[1]d:
    kind: queue
    ordering: fifo
    visibility_timeout: 2m
    dead_letter: {max_deliveries: 5}

  worker-%[1]d:   # processes jobs-%[1]d
    kind: function
    runtime: python3.12
    source: ./functions/worker
    memory_mb: 256
    timeout: 30s
    triggers:
      - queue: jobs-%[1]d
        batch_size: 10
    env:
      QUEUE_URL: ${jobs-%[1]d.url}
      MODE: "batch"
`, i)
	}
	var examples []byte
	files, _ := filepath.Glob("../examples/*/skyform.yaml")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		examples = append(examples, src...)
		examples = append(examples, '\n')
	}
	return map[string][]byte{"flow-1000": []byte(flow.String()), "block-1000": []byte(block.String()), "examples": examples}
}

func benchParse(b *testing.B, parse func([]byte) (*yaml.Node, bool)) {
	for name, src := range benchInputs(b) {
		b.Run(name, func(b *testing.B) {
			if _, ok := parse(src); !ok {
				b.Fatal("not parsed")
			}
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				parse(src)
			}
		})
	}
}

func BenchmarkParseFast(b *testing.B) { benchParse(b, parseFast) }

func BenchmarkParseYAMLv3(b *testing.B) {
	benchParse(b, func(src []byte) (*yaml.Node, bool) {
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) != 1 {
			return nil, false
		}
		return doc.Content[0], true
	})
}

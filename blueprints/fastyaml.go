package blueprints

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parseFast parses the subset of YAML that blueprints are written in into
// the very tree yaml.v3 builds (the content of its document node), comments
// aside, at a fraction of the cost: YAML parsing is the largest part of
// compiling a large blueprint. It reports false ("decline") for anything
// outside the subset, and the caller parses with yaml.v3, which also
// reports any error. The subset:
//
//   - block mappings and sequences nested by indentation with spaces, a
//     sequence as a mapping value indented or at its key's indentation,
//     and compact forms (`- key: v`, `- - v`);
//   - flow mappings and sequences that open and close on one line;
//   - single-line plain, single-quoted and double-quoted scalars (double-
//     quoted escapes as yaml.v3 reads them; `\/` and escaped line breaks
//     are declined);
//   - literal block scalars (`|`, `|-`, `|+`) as a mapping value or a
//     sequence item on the line of its key or '-';
//   - comments and blank lines.
//
// Declined: control characters (so tabs and CR), invalid UTF-8, a BOM
// and the Unicode line breaks, document markers and directives, anchors,
// aliases, tags, folded block scalars, complex keys, multi-line plain and
// quoted scalars and flow collections, and a key longer than yaml.v3
// accepts. Duplicate keys are kept, as yaml.v3 keeps them in a node tree.
// The tests hold every accepted input to yaml.v3's tree, field by field.
func parseFast(src []byte) (*yaml.Node, bool) {
	ascii := true
	for i := 0; i < len(src); i++ {
		switch fastByte[src[i]] {
		case byteBad:
			return nil, false
		case byteHigh:
			r, size := utf8.DecodeRune(src[i:])
			if !fastRune(r, size) {
				return nil, false
			}
			ascii = false
			i += size - 1
		}
	}
	p := &fastParser{src: string(src), ascii: ascii}
	// Most nodes are the two sides of a ':' or a flow collection: slabs of
	// about their number hold nearly the whole tree, and every node but
	// the root is some collection's child.
	est := 2*strings.Count(p.src, ":") + strings.Count(p.src, "[") + strings.Count(p.src, "{") + 8
	p.nodes = make([]yaml.Node, 0, est)
	p.ptrs = make([]*yaml.Node, 0, est)
	p.chunk = max(64, est/4)
	p.startLine(0)
	if !p.nextContent() || p.ind < 0 {
		return nil, false
	}
	n, ok := p.block()
	if !ok || p.ind >= 0 {
		return nil, false
	}
	return n, true
}

// fastByte sorts bytes for the first pass over the input: printable
// ASCII and newlines pass, other control characters are declined, and
// bytes from 0x80 start a UTF-8 sequence to check.
var fastByte = func() (t [256]byte) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = byteHigh
		case c < ' ' && c != '\n' || c == 0x7f:
			t[c] = byteBad
		}
	}
	return t
}()

const (
	byteOK = iota
	byteBad
	byteHigh
)

// fastRune reports whether a non-ASCII character is one yaml.v3 reads as
// an ordinary printable character: valid UTF-8 in the ranges its reader
// allows, and neither a line break (NEL, LS, PS) nor a byte order mark,
// which it skips at the start of a line.
func fastRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r == 0xFEFF || r == 0x2028 || r == 0x2029:
		return false
	}
	return r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// Limits within which the fast path keeps to what yaml.v3 accepts: a
// simple key must end within 1024 characters of its start, and nesting is
// kept well inside the stack.
const (
	fastMaxKey   = 1000
	fastMaxDepth = 500
)

// fastParser reads src line by line. Its position is always on the
// current line, [lineStart, end); ind is the indentation of the content
// line it stands on after nextContent, -1 at the end of the input.
type fastParser struct {
	src            string
	pos            int
	line           int // 1-based number of the current line
	lineStart, end int
	ind            int
	tokStart       int // where the last scalar read starts
	depth          int

	// yaml.v3 counts columns in characters: in a file that is not all
	// ASCII, col counts them on from the last position it was asked for.
	ascii                      bool
	colStart, colPos, colRunes int

	// Nodes and content slices are carved from slabs, children are
	// gathered on stack until their collection is complete.
	nodes []yaml.Node
	ptrs  []*yaml.Node
	stack []*yaml.Node
	chunk int
}

func (p *fastParser) startLine(at int) {
	p.line++
	p.lineStart, p.pos = at, at
	if i := strings.IndexByte(p.src[at:], '\n'); i >= 0 {
		p.end = at + i
	} else {
		p.end = len(p.src)
	}
}

// nextLine moves to the start of the next line, or to the end of the input.
func (p *fastParser) nextLine() {
	if p.end < len(p.src) {
		p.startLine(p.end + 1)
		return
	}
	p.pos = len(p.src)
	p.lineStart = p.pos
}

// nextContent moves from the start of a line past blank and comment lines
// to the first byte of the next content line, setting ind.
// Document markers and directives are declined.
func (p *fastParser) nextContent() bool {
	for p.pos < len(p.src) {
		i := p.pos
		for i < p.end && p.src[i] == ' ' {
			i++
		}
		switch {
		case i == p.end:
		case p.src[i] == '#':
		default:
			if i == p.lineStart {
				if c := p.src[i]; c == '%' || strings.HasPrefix(p.src[i:], "---") || strings.HasPrefix(p.src[i:], "...") {
					return false
				}
			}
			p.pos, p.ind = i, i-p.lineStart
			return true
		}
		p.nextLine()
	}
	p.ind = -1
	return true
}

// finishLine accepts only blanks and a comment after a value, then moves
// to the next content line.
func (p *fastParser) finishLine() bool {
	for p.pos < p.end && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos < p.end && (p.src[p.pos] != '#' || p.src[p.pos-1] != ' ') {
		return false
	}
	p.nextLine()
	return p.nextContent()
}

func (p *fastParser) skipSpaces() {
	for p.pos < p.end && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *fastParser) node(kind yaml.Kind, tag string, line, col int) *yaml.Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]yaml.Node, 0, p.chunk)
		if p.chunk < 4096 {
			p.chunk *= 2
		}
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.Kind, n.Tag, n.Line, n.Column = kind, tag, line, col
	return n
}

// content moves the children gathered since base into n.Content.
func (p *fastParser) content(n *yaml.Node, base int) {
	k := len(p.stack) - base
	if k == 0 {
		return
	}
	if len(p.ptrs)+k > cap(p.ptrs) {
		p.ptrs = make([]*yaml.Node, 0, max(k, p.chunk))
	}
	at := len(p.ptrs)
	p.ptrs = append(p.ptrs, p.stack[base:]...)
	n.Content = p.ptrs[at : at+k : at+k]
	clear(p.stack[base:])
	p.stack = p.stack[:base]
}

// col is the 1-based column of p.pos, in characters.
func (p *fastParser) col() int {
	if p.ascii {
		return p.pos - p.lineStart + 1
	}
	if p.colStart != p.lineStart || p.colPos > p.pos {
		p.colStart, p.colPos, p.colRunes = p.lineStart, p.lineStart, 0
	}
	p.colRunes += utf8.RuneCountInString(p.src[p.colPos:p.pos])
	p.colPos = p.pos
	return p.colRunes + 1
}

// blankAt reports whether i ends the line or holds a space.
func (p *fastParser) blankAt(i int) bool { return i >= p.end || p.src[i] == ' ' }

// block parses the node at p.pos in block context and moves to the next
// content line. Whether that line's indentation fits is for the enclosing
// collection to say: one deeper than it continues a scalar or is invalid,
// and either way it is declined.
func (p *fastParser) block() (*yaml.Node, bool) {
	if p.depth++; p.depth > fastMaxDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	c := p.src[p.pos]
	if c == '-' && p.blankAt(p.pos+1) {
		return p.blockSeq(p.pos-p.lineStart, false)
	}
	if c == '{' || c == '[' {
		n, ok := p.flow()
		return n, ok && p.finishLine()
	}
	col := p.pos - p.lineStart
	n, ok := p.scalar(false)
	if !ok {
		return nil, false
	}
	if p.isKey(n) {
		return p.blockMap(col, n)
	}
	return n, p.finishLine()
}

// isKey reports whether the scalar n just read is followed by the ':' of
// a block mapping entry, and leaves p.pos on it.
func (p *fastParser) isKey(n *yaml.Node) bool {
	if n.Style != 0 {
		p.skipSpaces()
	}
	if p.pos >= p.end || p.src[p.pos] != ':' || !p.blankAt(p.pos+1) {
		return false
	}
	return p.pos-p.tokStart <= fastMaxKey
}

// blockMap parses a block mapping at column col whose first key has been
// read, p.pos on its ':'.
func (p *fastParser) blockMap(col int, key *yaml.Node) (*yaml.Node, bool) {
	m := p.node(yaml.MappingNode, "!!map", key.Line, key.Column)
	base := len(p.stack)
	for {
		afterLine, afterCol := p.line, p.col()+1 // where yaml.v3 places an empty value
		p.pos++
		p.skipSpaces()
		var val *yaml.Node
		ok := true
		if p.pos == p.end || p.src[p.pos] == '#' {
			p.nextLine()
			if !p.nextContent() {
				return nil, false
			}
			switch {
			case p.ind > col:
				val, ok = p.block()
			case p.ind == col && p.src[p.pos] == '-' && p.blankAt(p.pos+1):
				val, ok = p.blockSeq(col, true)
			default:
				val = p.node(yaml.ScalarNode, "!!null", afterLine, afterCol)
			}
		} else {
			val, ok = p.inline(col)
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, key, val)
		if p.ind < col {
			break
		}
		if p.ind > col {
			return nil, false
		}
		key, ok = p.scalar(false)
		if !ok || !p.isKey(key) {
			return nil, false
		}
	}
	p.content(m, base)
	return m, true
}

// inline parses a scalar or flow collection that is a value on its key's
// line in the mapping at column col, and what follows it on the line.
func (p *fastParser) inline(col int) (*yaml.Node, bool) {
	var n *yaml.Node
	ok := true
	switch p.src[p.pos] {
	case '{', '[':
		n, ok = p.flow()
	case '|':
		return p.literal(col)
	default:
		n, ok = p.scalar(false)
	}
	return n, ok && p.finishLine()
}

// literal parses a literal block scalar ('|', '|-' or '|+') that is a
// value in the block collection at column parent, and moves to the next
// content line after it. Its indentation is that of its first line, which
// must have text (so blank lines before it may not be deeper); an
// indentation indicator is declined.
func (p *fastParser) literal(parent int) (*yaml.Node, bool) {
	n := p.node(yaml.ScalarNode, "!!str", p.line, p.col())
	n.Style = yaml.LiteralStyle
	p.pos++
	var chomp byte
	if p.pos < p.end && (p.src[p.pos] == '-' || p.src[p.pos] == '+') {
		chomp = p.src[p.pos]
		p.pos++
	}
	p.skipSpaces()
	if p.pos < p.end && (p.src[p.pos] != '#' || p.src[p.pos-1] != ' ') {
		return nil, false
	}
	p.nextLine()
	// Blank lines before the first line of text, and its indentation.
	breaks, deepest := 0, 0
	for ; p.pos < len(p.src); p.nextLine() {
		i := p.lineStart
		for i < p.end && p.src[i] == ' ' {
			i++
		}
		if i < p.end {
			break
		}
		deepest = max(deepest, i-p.lineStart)
		if p.end < len(p.src) {
			breaks++
		}
	}
	if p.pos >= len(p.src) {
		return nil, false
	}
	indent := p.pos
	for p.src[indent] == ' ' {
		indent++
	}
	indent -= p.lineStart
	if indent <= parent || indent < 1 || deepest > indent {
		return nil, false
	}
	var b []byte
	lineBreak := false
	for {
		// A line at the indentation, or deeper: text.
		if lineBreak {
			b = append(b, '\n')
		}
		for ; breaks > 0; breaks-- {
			b = append(b, '\n')
		}
		b = append(b, p.src[p.lineStart+indent:p.end]...)
		lineBreak = p.end < len(p.src)
		p.nextLine()
		// Lines of no more than the indentation in spaces are breaks.
		at := -1
		for ; p.pos < len(p.src); p.nextLine() {
			i := p.lineStart
			for i < p.end && i-p.lineStart < indent && p.src[i] == ' ' {
				i++
			}
			if i < p.end {
				at = i - p.lineStart
				break
			}
			if p.end < len(p.src) {
				breaks++
			}
		}
		if at < indent {
			break
		}
	}
	switch chomp {
	case 0:
		if lineBreak {
			b = append(b, '\n')
		}
	case '+':
		if lineBreak {
			b = append(b, '\n')
		}
		for ; breaks > 0; breaks-- {
			b = append(b, '\n')
		}
	}
	n.Value = string(b)
	if p.pos < len(p.src) {
		p.pos = p.lineStart
	}
	return n, p.nextContent()
}

// blockSeq parses a block sequence whose '-' entries are at column col;
// indentless is set for one at its mapping key's own indentation.
func (p *fastParser) blockSeq(col int, indentless bool) (*yaml.Node, bool) {
	s := p.node(yaml.SequenceNode, "!!seq", p.line, col+1)
	base := len(p.stack)
	for {
		dashLine, dashCol := p.line, col+2
		p.pos++
		p.skipSpaces()
		var item *yaml.Node
		ok := true
		if p.pos == p.end || p.src[p.pos] == '#' {
			p.nextLine()
			if !p.nextContent() {
				return nil, false
			}
			if p.ind > col {
				item, ok = p.block()
			} else {
				item = p.node(yaml.ScalarNode, "!!null", dashLine, dashCol)
			}
		} else if p.src[p.pos] == '|' {
			item, ok = p.literal(col)
		} else {
			item, ok = p.block()
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, item)
		if p.ind < col {
			break
		}
		if p.ind > col {
			return nil, false
		}
		if p.src[p.pos] != '-' || !p.blankAt(p.pos+1) {
			if indentless {
				break
			}
			return nil, false
		}
	}
	p.content(s, base)
	return s, true
}

// flow parses a flow mapping or sequence that closes on its line.
func (p *fastParser) flow() (*yaml.Node, bool) {
	if p.depth++; p.depth > fastMaxDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	mapping := p.src[p.pos] == '{'
	var n *yaml.Node
	if mapping {
		n = p.node(yaml.MappingNode, "!!map", p.line, p.col())
	} else {
		n = p.node(yaml.SequenceNode, "!!seq", p.line, p.col())
	}
	n.Style = yaml.FlowStyle
	closer := byte(']')
	if mapping {
		closer = '}'
	}
	base := len(p.stack)
	p.pos++
	p.skipSpaces()
	for p.pos < p.end && p.src[p.pos] != closer {
		if mapping {
			key, ok := p.scalar(true)
			if !ok {
				return nil, false
			}
			if key.Style != 0 {
				p.skipSpaces()
			}
			// A plain key stops only at ": " here; a quoted one may be
			// followed by ':' at once.
			if p.pos >= p.end || p.src[p.pos] != ':' || p.pos-p.tokStart > fastMaxKey {
				return nil, false
			}
			p.pos++
			p.skipSpaces()
			if p.pos >= p.end {
				return nil, false
			}
			var val *yaml.Node
			if c := p.src[p.pos]; c == ',' || c == '}' {
				val = p.node(yaml.ScalarNode, "!!null", p.line, p.col())
			} else if val, ok = p.flowItem(); !ok {
				return nil, false
			}
			p.stack = append(p.stack, key, val)
		} else {
			item, ok := p.flowItem()
			if !ok {
				return nil, false
			}
			p.stack = append(p.stack, item)
		}
		p.skipSpaces()
		if p.pos >= p.end {
			return nil, false
		}
		if p.src[p.pos] == ',' {
			p.pos++
			p.skipSpaces()
			continue
		}
		if p.src[p.pos] != closer {
			return nil, false
		}
	}
	if p.pos >= p.end {
		return nil, false
	}
	p.pos++
	p.content(n, base)
	return n, true
}

// flowItem parses a scalar or nested collection inside a flow collection.
func (p *fastParser) flowItem() (*yaml.Node, bool) {
	if c := p.src[p.pos]; c == '{' || c == '[' {
		return p.flow()
	}
	n, ok := p.scalar(true)
	if !ok || p.pos < p.end && p.src[p.pos] == ':' {
		return nil, false
	}
	return n, true
}

// scalar reads a plain or quoted scalar on the current line and leaves
// p.pos where it ends (on the byte that ended a plain scalar).
func (p *fastParser) scalar(flow bool) (*yaml.Node, bool) {
	p.tokStart = p.pos
	switch p.src[p.pos] {
	case '\'':
		return p.singleQuoted()
	case '"':
		return p.doubleQuoted()
	}
	if !p.plainStart() {
		return nil, false
	}
	start, last := p.pos, p.pos
	i := p.pos
scan:
	for ; i < p.end; i++ {
		switch p.src[i] {
		case ' ':
			if i+1 < p.end && p.src[i+1] == '#' {
				break scan
			}
			continue
		case ':':
			if p.blankAt(i + 1) {
				break scan
			}
		case ',', '[', ']', '{', '}', '?':
			if flow {
				break scan
			}
		}
		last = i + 1
	}
	v := p.src[start:last]
	n := p.node(yaml.ScalarNode, plainTag(v), p.line, p.col())
	n.Value = v
	p.pos = i
	return n, true
}

// plainStart reports whether a plain scalar may start at p.pos: not an
// indicator, except '-' before a non-blank. A '?' or ':' that would start
// one in block context is declined.
func (p *fastParser) plainStart() bool {
	switch p.src[p.pos] {
	case '-':
		return !p.blankAt(p.pos + 1)
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	return true
}

// plainTag is the tag yaml.v3 resolves a plain scalar to (its resolve,
// by the value's first byte): a string unless the value starts with a
// sign, a digit, '.' or one of "yYnNtTfFoO~"; of those, the latter are
// strings unless they are one of its bool and null words. Short decimal
// numbers are ints, and a value starting with a digit is a string when it
// holds a byte no int, float or timestamp it parses can hold ("30s",
// "2m"), and so is one starting with '.' that is not a float ("./fn");
// "<<" is the merge key; the rest are left to yaml.v3.
func plainTag(v string) string {
	switch c := v[0]; c {
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~':
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool"
		case "~", "null", "Null", "NULL":
			return "!!null"
		}
		return "!!str"
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if len(v) <= 18 && allDigits(v) {
			return "!!int"
		}
		fallthrough
	case '0':
		for i := 1; i < len(v); i++ {
			if !numberByte[v[i]] {
				return "!!str"
			}
		}
		return (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
	case '.':
		switch v {
		case ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN":
			return "!!float"
		}
		for i := 1; i < len(v); i++ {
			if !floatByte[v[i]] {
				return "!!str"
			}
		}
		fallthrough
	case '+', '-':
		return (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
	case '<':
		if v == "<<" {
			return "!!merge"
		}
	}
	return "!!str"
}

func allDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// numberByte holds the bytes of the numbers and timestamps yaml.v3
// resolves: digits, base prefixes and hex digits, '_', signs, '.', the
// timestamp's separators and zone.
var numberByte = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEFxXoObB_+-.:tTzZ " {
		t[c] = true
	}
	return t
}()

// floatByte holds the bytes of a float strconv.ParseFloat reads without a
// base prefix.
var floatByte = func() (t [256]bool) {
	for _, c := range "0123456789eE+-_." {
		t[c] = true
	}
	return t
}()

func (p *fastParser) singleQuoted() (*yaml.Node, bool) {
	n := p.node(yaml.ScalarNode, "!!str", p.line, p.col())
	n.Style = yaml.SingleQuotedStyle
	start := p.pos + 1
	var b []byte // nil until a '' escape
	for i := start; i < p.end; i++ {
		if p.src[i] != '\'' {
			if b != nil {
				b = append(b, p.src[i])
			}
			continue
		}
		if i+1 < p.end && p.src[i+1] == '\'' {
			if b == nil {
				b = append(make([]byte, 0, p.end-start), p.src[start:i]...)
			}
			b = append(b, '\'')
			i++
			continue
		}
		if b != nil {
			n.Value = string(b)
		} else {
			n.Value = p.src[start:i]
		}
		p.pos = i + 1
		return n, true
	}
	return nil, false
}

func (p *fastParser) doubleQuoted() (*yaml.Node, bool) {
	n := p.node(yaml.ScalarNode, "!!str", p.line, p.col())
	n.Style = yaml.DoubleQuotedStyle
	start := p.pos + 1
	var b []byte // nil until an escape
	for i := start; i < p.end; i++ {
		c := p.src[i]
		switch c {
		case '"':
			if b != nil {
				n.Value = string(b)
			} else {
				n.Value = p.src[start:i]
			}
			p.pos = i + 1
			return n, true
		case '\\':
			if b == nil {
				b = append(make([]byte, 0, p.end-start), p.src[start:i]...)
			}
			if i+1 >= p.end {
				return nil, false // an escaped line break folds lines
			}
			i++
			if e, ok := fastEscapes[p.src[i]]; ok {
				b = append(b, e...)
				continue
			}
			digits := 0
			switch p.src[i] {
			case 'x':
				digits = 2
			case 'u':
				digits = 4
			case 'U':
				digits = 8
			}
			if digits == 0 || i+digits >= p.end {
				return nil, false
			}
			r := 0
			for _, h := range []byte(p.src[i+1 : i+1+digits]) {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 + int(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 + int(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 + int(h-'A'+10)
				default:
					return nil, false
				}
			}
			if r >= 0xD800 && r <= 0xDFFF || r > 0x10FFFF {
				return nil, false
			}
			b = utf8.AppendRune(b, rune(r))
			i += digits
		default:
			if b != nil {
				b = append(b, c)
			}
		}
	}
	return nil, false
}

// fastEscapes are yaml.v3's one-character escapes in double-quoted
// scalars (it has no `\/`).
var fastEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r", 'e': "\x1b",
	' ': " ", '"': "\"", '\'': "'", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

package tfir

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Config is a Terraform root module: a header comment and files of blocks.
type Config struct {
	// Header is a comment written at the top of every file.
	Header string
	Files  []*File
}

// File returns the file of that name, adding it when missing.
func (c *Config) File(name string) *File {
	for _, f := range c.Files {
		if f.Name == name {
			return f
		}
	}
	f := &File{Name: name}
	c.Files = append(c.Files, f)
	return f
}

// File is one .tf file (or .tf.json when emitted as JSON).
type File struct {
	// Name is the file name without extension, e.g. "main".
	Name   string
	Blocks []*Block
}

// Add appends blocks to the file.
func (f *File) Add(bs ...*Block) { f.Blocks = append(f.Blocks, bs...) }

// Block is a Terraform block: type, labels and a body.
type Block struct {
	Type   string
	Labels []string
	Body
}

// NewBlock returns an empty block.
func NewBlock(typ string, labels ...string) *Block {
	return &Block{Type: typ, Labels: labels}
}

// Body holds attributes and nested blocks in the order they were added.
type Body struct {
	Items []Item
}

// Item is an attribute (Attr set) or a nested block (Block set).
type Item struct {
	Attr  *Attr
	Block *Block
}

// Attr is one attribute assignment.
type Attr struct {
	Name  string
	Value Expr
}

// Set appends an attribute and returns the body for chaining.
func (b *Body) Set(name string, v Expr) *Body {
	b.Items = append(b.Items, Item{Attr: &Attr{Name: name, Value: v}})
	return b
}

// SetIf appends the attribute only when cond holds.
func (b *Body) SetIf(cond bool, name string, v Expr) *Body {
	if cond {
		b.Set(name, v)
	}
	return b
}

// Nest appends a nested block and returns it.
func (b *Body) Nest(typ string, labels ...string) *Block {
	nb := NewBlock(typ, labels...)
	b.Items = append(b.Items, Item{Block: nb})
	return nb
}

// Blank appends an empty line between items (HCL only; ignored in JSON).
func (b *Body) Blank() *Body {
	b.Items = append(b.Items, Item{})
	return b
}

// Expr is an expression: Str, Int, Literal, Traversal, Template, Object,
// List or Call.
type Expr interface{ expr() }

// Str is a string literal: data, never interpolated. Most literals of a
// root module are strings and whole numbers, so they are Go values rather
// than cty values, which cost three allocations each to build and render.
type Str string

// Int is a whole-number literal.
type Int int64

// Literal is any other constant value. Strings in it are data, never
// interpolated.
type Literal struct{ V cty.Value }

// LiteralOf returns a constant expression (Str, Int or Literal) as a cty
// value, for readers of the IR that compare values rather than write them.
func LiteralOf(e Expr) (Literal, bool) {
	switch e := e.(type) {
	case Str:
		return Literal{cty.StringVal(string(e))}, true
	case Int:
		return Literal{cty.NumberIntVal(int64(e))}, true
	case Literal:
		return e, true
	}
	return Literal{}, false
}

// Traversal is a reference such as module.orders_db.host or var.gcp_project.
type Traversal []string

// Template is a string built from literal text and references; it emits as
// "text ${ref} text".
type Template []Expr

// Object is an object constructor whose keys keep the order given.
type Object []ObjectAttr

// ObjectAttr is one key of an Object.
type ObjectAttr struct {
	Key   string
	Value Expr
}

// List is a tuple constructor.
type List []Expr

// TypeConstraint is a variable's type, such as string or map(string). It
// is a type expression, not a value: JSON syntax writes it as a plain
// string, never as an interpolation.
type TypeConstraint string

// Address names a module or resource where terraform wants an address
// rather than a value, as in a moved block's from and to. HCL writes it as
// the bare traversal; JSON as the plain string, without "${...}".
type Address []string

// Call is a function call such as filebase64sha256(...).
type Call struct {
	Name string
	Args []Expr
}

func (Str) expr()            {}
func (Int) expr()            {}
func (Literal) expr()        {}
func (Traversal) expr()      {}
func (Template) expr()       {}
func (Object) expr()         {}
func (List) expr()           {}
func (Call) expr()           {}
func (Address) expr()        {}
func (TypeConstraint) expr() {}

// String returns a string literal.
func String(s string) Expr { return Str(s) }

// Number returns a number literal.
func Number(n int64) Expr { return Int(n) }

// Bool returns a bool literal.
func Bool(b bool) Expr { return Literal{cty.BoolVal(b)} }

// Strings returns a list of string literals.
func Strings(ss ...string) Expr {
	l := make(List, len(ss))
	for i, s := range ss {
		l[i] = String(s)
	}
	return l
}

// Ref returns a traversal from dotted steps: Ref("module", "orders_db", "host").
func Ref(steps ...string) Expr { return Traversal(steps) }

// Moved returns a moved block: terraform moves the state of the object at
// from to to instead of destroying one and creating the other.
func Moved(from, to Address) *Block {
	b := NewBlock("moved")
	b.Set("from", from)
	b.Set("to", to)
	return b
}

// Map returns an object of string literals from ordered key/value pairs.
func Map(kv ...string) Expr {
	o := make(Object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, ObjectAttr{kv[i], String(kv[i+1])})
	}
	return o
}

var typeRE = regexp.MustCompile(`^[a-z]+(\([a-z(), ]*\))?$`)

// ValidIdentifier reports whether s can be written as a Terraform identifier
// (block label of a module, attribute name, traversal step): ASCII
// [A-Za-z_][A-Za-z0-9_-]*. A loop, not a regexp: every name of a large
// root module goes through it.
func ValidIdentifier(s string) bool {
	ok, ascii := asciiIdentifier(s)
	return ok && ascii
}

// asciiIdentifier reports whether s is an ASCII identifier, and whether s
// is ASCII at all (when not, only HCL's Unicode rules can tell).
func asciiIdentifier(s string) (ok, ascii bool) {
	if s == "" {
		return false, true
	}
	ok = true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return false, false
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9') || c == '-':
			if i == 0 {
				ok = false
			}
		default:
			ok = false
		}
	}
	return ok, true
}

// check walks a config and refuses identifiers that would not parse back as
// written; lowering validates names first, so this guards against bugs.
func (c *Config) check() error {
	for _, f := range c.Files {
		if err := checkFile(f); err != nil {
			return err
		}
	}
	return nil
}

// bodyCheck returns a walk of a body that refuses identifiers that would not
// parse back as written.
func bodyCheck() func(*Body) error {
	var walk func(b *Body) error
	walkExpr := func(e Expr) error { return checkExpr(e) }
	walk = func(b *Body) error {
		for _, it := range b.Items {
			switch {
			case it.Attr != nil:
				if !ValidIdentifier(it.Attr.Name) {
					return fmt.Errorf("invalid attribute name %q", it.Attr.Name)
				}
				if err := walkExpr(it.Attr.Value); err != nil {
					return fmt.Errorf("attribute %s: %w", it.Attr.Name, err)
				}
			case it.Block != nil:
				if !ValidIdentifier(it.Block.Type) {
					return fmt.Errorf("invalid block type %q", it.Block.Type)
				}
				if err := walk(&it.Block.Body); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk
}

// checkFile checks one file's blocks as check does.
func checkFile(f *File) error {
	walk := bodyCheck()
	for _, b := range f.Blocks {
		if !ValidIdentifier(b.Type) {
			return fmt.Errorf("invalid block type %q", b.Type)
		}
		for _, l := range b.Labels {
			if !ValidIdentifier(l) {
				return fmt.Errorf("invalid label %q in %s block", l, b.Type)
			}
		}
		if err := walk(&b.Body); err != nil {
			return fmt.Errorf("%s %v: %w", b.Type, b.Labels, err)
		}
	}
	return nil
}

// indexRE is the index an address step may end with: a count index or a
// for_each key of plain characters (written as is, so nothing in it may
// need escaping).
var indexRE = regexp.MustCompile(`^\[([0-9]+|"[A-Za-z0-9._/-]+")\]$`)

// validAddressStep reports whether s is an identifier, optionally indexed
// (this[0], queue["orders"]).
func validAddressStep(s string) bool {
	name, index, indexed := strings.Cut(s, "[")
	return ValidIdentifier(name) && (!indexed || indexRE.MatchString("["+index))
}

func checkExpr(e Expr) error {
	switch e := e.(type) {
	case Traversal:
		for _, s := range e {
			if !ValidIdentifier(s) {
				return fmt.Errorf("invalid reference step %q", s)
			}
		}
	case Address:
		for _, s := range e {
			if !validAddressStep(s) {
				return fmt.Errorf("invalid address step %q", s)
			}
		}
	case Template:
		for _, p := range e {
			if err := checkExpr(p); err != nil {
				return err
			}
		}
	case Object:
		for _, a := range e {
			if err := checkExpr(a.Value); err != nil {
				return err
			}
		}
	case List:
		for _, v := range e {
			if err := checkExpr(v); err != nil {
				return err
			}
		}
	case TypeConstraint:
		if !typeRE.MatchString(string(e)) {
			return fmt.Errorf("invalid type constraint %q", string(e))
		}
	case Call:
		if !ValidIdentifier(e.Name) {
			return fmt.Errorf("invalid function name %q", e.Name)
		}
		for _, a := range e.Args {
			if err := checkExpr(a); err != nil {
				return err
			}
		}
	}
	return nil
}

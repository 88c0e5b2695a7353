// Package jsonindent writes JSON indented by two spaces, byte for byte as
// encoding/json's MarshalIndent and an Encoder with SetIndent("", "  ")
// do, in a fraction of their time: they indent by running the JSON
// scanner over what they marshalled, which took longer than marshalling
// the 40,000 diagnostics of a large blueprint's report. What Marshal
// indents is json.Marshal's own output, valid and without whitespace, so
// a single pass that only tracks strings can place every line break.
package jsonindent

import (
	"encoding/json"
	"io"
)

// Appender is a value that writes its own JSON, compact and byte for byte
// as json.Marshal writes it, faster than reflection does (a report of tens
// of thousands of diagnostics).
type Appender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// Marshal returns v as json.MarshalIndent(v, "", "  ") does; an Appender
// writes itself.
func Marshal(v any) ([]byte, error) {
	compact, err := compactJSON(v)
	if err != nil {
		return nil, err
	}
	return indent(make([]byte, 0, len(compact)*2), compact, nil), nil
}

// Write writes v and a newline to w, as an Encoder with SetIndent("", "  ")
// does. The indented text goes out in chunks, so a report of tens of
// megabytes is not held twice.
func Write(w io.Writer, v any) error {
	compact, err := compactJSON(v)
	if err != nil {
		return err
	}
	var werr error
	flush := func(b []byte) []byte {
		if werr == nil {
			_, werr = w.Write(b)
		}
		return b[:0]
	}
	buf := indent(make([]byte, 0, min(len(compact)*2, chunk)+256), compact, flush)
	flush(append(buf, '\n'))
	return werr
}

// chunk is how much indented text Write gathers before writing it.
const chunk = 256 << 10

func compactJSON(v any) ([]byte, error) {
	if a, ok := v.(Appender); ok {
		return a.AppendJSON(nil)
	}
	return json.Marshal(v)
}

// indent appends src, compact JSON, indented to dst. An empty object or
// array stays {} or []. With flush, dst is handed to it (and replaced by
// what it returns) whenever it holds a chunk.
func indent(dst, src []byte, flush func([]byte) []byte) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		if flush != nil && len(dst) >= chunk {
			dst = flush(dst)
		}
		c := src[i]
		switch c {
		case '"':
			// A string is copied whole; only an escaped quote does not end it.
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++
				}
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
